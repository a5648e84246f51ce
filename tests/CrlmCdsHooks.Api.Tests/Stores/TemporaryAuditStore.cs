using Microsoft.AspNetCore.Hosting;

namespace CrlmCdsHooks.Api.Tests.Stores;

public static class TemporaryAuditStore
{
    /// <summary>The pseudonym key every test host uses (the service refuses to start without one outside Development).</summary>
    public const string PseudonymSecret = "test-only-pseudonym-secret-0123456789abcdef";

    /// <summary>A new SQLite file per host, so no test host sees another's records; settings given later override these.</summary>
    public static IWebHostBuilder UseTemporaryAuditStore(this IWebHostBuilder builder) => builder
        .UseSetting("Audit:SqlitePath", NewSqlitePath())
        .UseSetting("Audit:PseudonymSecret", PseudonymSecret);

    public static string NewSqlitePath() => Path.Combine(Path.GetTempPath(), "crlm-audit-tests", $"{Guid.NewGuid():N}.db");
}
