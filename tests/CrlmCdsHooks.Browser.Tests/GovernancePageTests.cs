using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CrlmCdsHooks.Api.Audit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>The governance page in headless Chromium: charts from a seeded store, and nothing shown without access.</summary>
public sealed class GovernancePageTests : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = SmartLaunchFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    [Fact]
    public async Task The_charts_render_from_the_store_in_development()
    {
        await using var service = new GovernedService("Development", new());
        await SeedAsync(service.Services);
        var (page, errors) = await OpenAsync(service.BaseUrl + "/governance");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("4 card(s), 2 feedback item(s).");
        Assert.Equal(3, await page.Locator("#chart-months rect.bar").CountAsync()); // Sep high, Oct high, Oct low
        Assert.Equal(4, await page.Locator("#chart-outcomes rect.bar").CountAsync()); // accepted and overridden for high and low
        Assert.Equal(1, await page.Locator("#chart-reasons rect.bar").CountAsync());
        Assert.Equal(2, await page.Locator("#chart-review rect.bar").CountAsync());
        await Assertions.Expect(page.Locator("#chart-review")).ToContainTextAsync("50% (1 of 2)");
        await Assertions.Expect(page.Locator("#chart-outcomes")).ToContainTextAsync("High risk: overridden");
        Assert.True(await page.Locator("#chart-months svg").GetAttributeAsync("aria-label") is { Length: > 0 });

        await page.Locator("select[name=modelVersion]").SelectOptionAsync("1.1.0");
        await page.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("1 card(s), 1 feedback item(s).");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Without_a_token_carrying_the_role_the_page_shows_the_refusal_and_no_data()
    {
        await using var service = new GovernedService("Production", new()
        {
            ["CdsHooks:PublicBaseUrl"] = "https://cds.example.org",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr-a.example.org",
            ["CdsHooks:Clients:0:JwksUri"] = "https://ehr-a.example.org/jwks",
            ["Audit:PseudonymSecret"] = "browser-test-pseudonym-secret-0123456789",
            // No provider listens here: a request without a token is refused before any key is needed.
            ["Governance:Authority"] = $"http://127.0.0.1:{FreePort()}",
            ["Governance:Audience"] = "crlm-governance-api",
        });
        await SeedAsync(service.Services);
        var (page, _) = await OpenAsync(service.BaseUrl + "/governance");

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Access refused: The governance report needs a bearer token");
        Assert.False(await page.Locator("#report").IsVisibleAsync());
        Assert.Equal(0, await page.Locator("svg").CountAsync());
    }

    private async Task<(IPage Page, ConcurrentQueue<string> Errors)> OpenAsync(string url)
    {
        var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        page.PageError += (_, error) => errors.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal))
                errors.Enqueue($"{message.Text} ({message.Location})");
        };
        await page.GotoAsync(url);
        return (page, errors);
    }

    /// <summary>Four cards over two months and two model versions, two with feedback.</summary>
    private static async Task SeedAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        CardRecord Card(int month, string group, string version, int review) => new()
        {
            CardId = Guid.NewGuid(), CreatedAt = new DateTime(2026, month, 10, 9, 0, 0, DateTimeKind.Utc), Service = "crlm-recurrence-liu2021",
            HookInstance = "h", Client = "c", PatientPseudonym = "p", ModelId = "liu2021", ModelVersion = version, RiskGroup = group,
            Recommendation = "systemic-therapy-first", ReviewItems = review,
        };
        var cards = new[] { Card(9, "high", "1.0.0", 0), Card(10, "high", "1.0.0", 1), Card(10, "low", "1.1.0", 0), Card(9, "high", "1.0.0", 0) };
        db.Cards.AddRange(cards);
        db.Feedback.AddRange(
            new FeedbackRecord { CardId = cards[0].CardId, Outcome = "overridden", OverrideReasonSystem = "https://example.org/reasons", OverrideReasonCode = "mdt-decision", Client = "c", ReceivedAt = DateTime.UtcNow, OutcomeAt = DateTime.UtcNow },
            new FeedbackRecord { CardId = cards[2].CardId, Outcome = "accepted", Client = "c", ReceivedAt = DateTime.UtcNow, OutcomeAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        await services.GetRequiredService<AuditStoreState>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The service on a free loopback port with a store of its own.</summary>
    private sealed class GovernedService : WebApplicationFactory<Program>
    {
        private readonly string _environment;
        private readonly Dictionary<string, string> _settings;

        public GovernedService(string environment, Dictionary<string, string> settings)
        {
            _environment = environment;
            _settings = settings;
            UseKestrel(0);
            StartServer();
            using var client = CreateClient();
            BaseUrl = client.BaseAddress!.ToString().TrimEnd('/');
        }

        public string BaseUrl { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(_environment)
                .UseSetting("Audit:SqlitePath", Path.Combine(Path.GetTempPath(), "crlm-audit-tests", $"{Guid.NewGuid():N}.db"))
                .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            foreach (var (key, value) in _settings)
                builder.UseSetting(key, value);
        }
    }
}
