using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>
/// The real service on Kestrel at <c>http://127.0.0.1:{port}</c>, in the Development environment, with the SMART app
/// registered for one FHIR server (its only allowed issuer) and that server's authorization server.
/// </summary>
internal sealed class SmartAppService : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    public SmartAppService(int port, IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        BaseUrl = $"http://127.0.0.1:{port}";
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        StartServer();
    }

    /// <summary>Where the browser reaches the service, without a trailing slash.</summary>
    public string BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}
