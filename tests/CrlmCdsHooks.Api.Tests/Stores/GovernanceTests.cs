using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Api.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrlmCdsHooks.Api.Tests.Stores;

/// <summary>
/// An OpenID Connect provider on loopback (discovery document and JWKS) that signs RS256 access tokens for the
/// governance report, and the service in Production trusting it, over a seeded SQLite store.
/// </summary>
public sealed class GovernanceFixture : IAsyncLifetime
{
    public const string Audience = "crlm-governance-api";
    public const string Role = "crlm-governance";
    private WebApplication? _provider;

    public RSA ProviderKey { get; } = RSA.Create(2048);
    public RSA OtherKey { get; } = RSA.Create(2048);
    public string Issuer { get; private set; } = "";
    public SecuredService Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string> { ["issuer"] = Issuer, ["jwks_uri"] = $"{Issuer}/jwks" }));
        _provider.MapGet("/jwks", () =>
        {
            var p = ProviderKey.ExportParameters(false);
            return Results.Content($$"""{"keys":[{"kty":"RSA","kid":"gov-1","use":"sig","alg":"RS256","n":"{{Base64UrlEncoder.Encode(p.Modulus)}}","e":"{{Base64UrlEncoder.Encode(p.Exponent)}}"}]}""", "application/json");
        });
        await _provider.StartAsync();
        Issuer = _provider.Urls.Single().TrimEnd('/');
        Service = new SecuredService(new Dictionary<string, string?>
        {
            ["CdsHooks:PublicBaseUrl"] = SecurityFixture.PublicBaseUrl,
            ["CdsHooks:Clients:0:Issuer"] = SecurityFixture.IssuerA,
            ["CdsHooks:Clients:0:JwksUri"] = "https://ehr-a.example.org/jwks",
            ["Governance:Authority"] = Issuer,
            ["Governance:Audience"] = Audience,
            ["Governance:Role"] = Role,
        });
        await SeedAsync(Service.Services);
    }

    /// <summary>Six cards over two months and two model versions, with feedback on three of them and one orphan.</summary>
    public static async Task SeedAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        CardRecord Card(string created, string group, string version, int review) => new()
        {
            CardId = Guid.NewGuid(), CreatedAt = DateTime.Parse(created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal),
            Service = "crlm-recurrence-liu2021", HookInstance = Guid.NewGuid().ToString(), Client = "https://ehr-a.example.org",
            PatientPseudonym = "p", ModelId = "liu2021", ModelVersion = version, RiskGroup = group, Recommendation = "complete-data", ReviewItems = review,
        };
        var cards = new[]
        {
            Card("2026-09-03T10:00:00Z", "high", "1.0.0", 0), Card("2026-09-20T10:00:00Z", "high", "1.0.0", 2), Card("2026-09-21T10:00:00Z", "low", "1.0.0", 0),
            Card("2026-10-01T00:00:00Z", "low", "1.1.0", 0), Card("2026-10-31T23:59:59Z", "indeterminate", "1.1.0", 1), Card("2026-10-15T10:00:00Z", "high", "1.1.0", 0),
        };
        db.Cards.AddRange(cards);
        FeedbackRecord Feedback(Guid card, string outcome, string? reason = null) => new()
        {
            CardId = card, Outcome = outcome, OverrideReasonSystem = reason is null ? null : "https://example.org/reasons", OverrideReasonCode = reason,
            Client = "https://ehr-a.example.org", ReceivedAt = DateTime.UtcNow, OutcomeAt = DateTime.UtcNow,
        };
        db.Feedback.AddRange(Feedback(cards[0].CardId, "accepted"), Feedback(cards[1].CardId, "overridden", "mdt-decision"),
            Feedback(cards[5].CardId, "overridden", "mdt-decision"), Feedback(Guid.NewGuid(), "accepted"));
        await db.SaveChangesAsync();
        await services.GetRequiredService<AuditStoreState>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public string Token(string? role = Role, string audience = Audience, RSA? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = role is null ? new Dictionary<string, object> { ["sub"] = "auditor" } : new Dictionary<string, object> { ["sub"] = "auditor", ["roles"] = new[] { "reader", role } },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? ProviderKey) { KeyId = "gov-1" }, SecurityAlgorithms.RsaSha256),
        });

    public async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var client = Service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Service.Dispose();
        if (_provider is not null)
            await _provider.DisposeAsync();
        ProviderKey.Dispose();
        OtherKey.Dispose();
    }
}

public sealed class GovernanceTests(GovernanceFixture governance) : IClassFixture<GovernanceFixture>
{
    private const string Report = "/api/governance/report";

    [Fact]
    public async Task With_the_role_the_report_counts_cards_feedback_months_outcomes_and_reasons()
    {
        using var response = await governance.GetAsync(Report, governance.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((6, 3, 1, 2), (report["cards"]!.GetValue<int>(), report["feedback"]!.GetValue<int>(), report["orphanedFeedback"]!.GetValue<int>(), report["cardsNeedingReview"]!.GetValue<int>()));
        Assert.Equal(["1.0.0", "1.1.0"], report["modelVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
        var months = report["cardsByMonth"]!.AsArray().Select(m => $"{m!["month"]} {m["riskGroup"]} {m["cards"]} {m["needingReview"]}");
        Assert.Equal(["2026-09 high 2 1", "2026-09 low 1 0", "2026-10 high 1 0", "2026-10 indeterminate 1 1", "2026-10 low 1 0"], months);
        var high = report["outcomesByRiskGroup"]!.AsArray().Single(o => o!["riskGroup"]!.GetValue<string>() == "high")!;
        Assert.Equal((3, 1, 2), (high["cards"]!.GetValue<int>(), high["accepted"]!.GetValue<int>(), high["overridden"]!.GetValue<int>()));
        Assert.Equal(2 / 3.0, high["overrideRate"]!.GetValue<double>(), 6);
        var reason = Assert.Single(report["overrideReasons"]!.AsArray())!;
        Assert.Equal(("mdt-decision", 2), (reason["code"]!.GetValue<string>(), reason["count"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("?from=2026-10-01", 3, 1)]
    [InlineData("?to=2026-09-30", 3, 2)]
    [InlineData("?from=2026-10-31&to=2026-10-31", 1, 0)]
    [InlineData("?modelVersion=1.0.0", 3, 2)]
    [InlineData("?modelVersion=9.9.9", 0, 0)]
    public async Task The_filters_select_cards_by_day_and_model_version(string filter, int cards, int feedback)
    {
        using var response = await governance.GetAsync(Report + filter, governance.Token());

        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((cards, feedback), (report["cards"]!.GetValue<int>(), report["feedback"]!.GetValue<int>()));
    }

    [Fact]
    public async Task The_csv_export_is_one_long_table_a_spreadsheet_can_pivot()
    {
        using var response = await governance.GetAsync(Report + "?format=csv&modelVersion=1.0.0", governance.Token());

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,month,risk_group,item,count", lines[0]);
        Assert.Contains("total,,,\"cards\",3", lines);
        Assert.Contains("cards,2026-09,high,\"needing-review\",1", lines);
        Assert.Contains("override-reasons,,,\"mdt-decision\",1", lines);
    }

    [Theory]
    [InlineData("?from=23/11/2026", "'from' must be a date as yyyy-MM-dd")]
    [InlineData("?from=2026-11-02&to=2026-11-01", "'from' (2026-11-02) is after 'to' (2026-11-01)")]
    [InlineData("?format=xlsx", "'format' must be 'json' or 'csv'")]
    public async Task A_bad_filter_gets_400_saying_what_is_wrong(string filter, string message)
    {
        using var response = await governance.GetAsync(Report + filter, governance.Token());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A CDS client's ES384 JWT, as an EHR sends with a hook, aimed at the report.</summary>
    private static string EhrToken()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var descriptor = SecurityFixture.Descriptor(SecurityFixture.IssuerA, new ECDsaSecurityKey(key) { KeyId = "a-1" }, SecurityAlgorithms.EcdsaSha384, SecurityFixture.Tenant);
        descriptor.Audience = SecurityFixture.PublicBaseUrl + Report;
        return SecurityFixture.Sign(descriptor);
    }

    public static TheoryData<string, HttpStatusCode> Refusals => new()
    {
        { "no token", HttpStatusCode.Unauthorized },
        { "no role", HttpStatusCode.Forbidden },
        { "another audience", HttpStatusCode.Unauthorized },
        { "signed by another key", HttpStatusCode.Unauthorized },
        { "an EHR's CDS Hooks token", HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Without_a_provider_token_carrying_the_role_the_report_is_refused(string attempt, HttpStatusCode status)
    {
        var token = attempt switch
        {
            "no token" => null,
            "no role" => governance.Token(role: null),
            "another audience" => governance.Token(audience: "another-api"),
            "signed by another key" => governance.Token(key: governance.OtherKey),
            _ => EhrToken(),
        };

        using var response = await governance.GetAsync(Report, token);

        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("OperationOutcome", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"cards\"", body, StringComparison.Ordinal);
    }
}
