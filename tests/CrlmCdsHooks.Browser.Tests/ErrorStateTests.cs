using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>What the page says when the launch or the EHR fails: a specific error, what to do, and a retry where it helps.</summary>
public class ErrorStateTests(SmartLaunchFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task A_token_the_FHIR_server_no_longer_accepts_says_the_session_expired()
    {
        Session.ExpectFailedLoads = true; // the browser logs the 401
        await Page.RouteAsync("**/fhir/Observation**", route => route.FulfillAsync(new()
        {
            Status = 401,
            ContentType = "application/fhir+json",
            Headers = new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = "Bearer error=\"invalid_token\"",
                ["Access-Control-Allow-Origin"] = SmartLaunchFixture.Origin(Fixture.ServiceUrl),
            },
            Body = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login","details":{"text":"The token expired"}}]}""",
        }));

        await Session.LaunchAsync("crlm-high-risk");

        var error = Page.Locator("#error[role='alert']");
        await Expect(error).ToHaveAttributeAsync("data-error-kind", "session-expired");
        await Expect(error).ToContainTextAsync("open it again");
        await Expect(Page.Locator("#retry")).ToHaveCountAsync(0); // retrying with the same token cannot help
        await Expect(Page.Locator("#result")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unreachable_FHIR_server_can_be_retried()
    {
        Session.ExpectFailedLoads = true; // the browser logs the refused connections
        await Page.RouteAsync(IsFhirDataRequest, route => route.AbortAsync("connectionrefused"));

        await Session.LaunchAsync("crlm-high-risk");

        var error = Page.Locator("#error[role='alert']");
        await Expect(error).ToHaveAttributeAsync("data-error-kind", "fhir-unreachable");
        await Expect(error).ToContainTextAsync(Fixture.FhirBase);
        await Expect(Page.Locator("#result")).ToHaveCountAsync(0);

        await Page.UnrouteAllAsync();
        await Page.Locator("#retry").ClickAsync();

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync("High risk");
        await Expect(Page.Locator("#error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_launch_by_an_EHR_that_is_not_registered_is_refused_before_any_sign_in()
    {
        const string otherFhirServer = "http://127.0.0.1:9/fhir";
        var before = await Fixture.TokenCountersAsync();

        await Session.LaunchAsync("crlm-high-risk", iss: otherFhirServer);

        Assert.Equal(Fixture.LaunchUrl, Page.Url.Split('?')[0]);
        var error = Page.Locator("#error[role='alert']");
        await Expect(error).ToHaveAttributeAsync("data-error-kind", "not-registered");
        await Expect(error).ToContainTextAsync(otherFhirServer);
        Assert.DoesNotContain(Session.Requests, r => r.Url.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
        Assert.DoesNotContain(Session.Requests, r => r.Url.StartsWith(Fixture.AuthUrl + "/authorize", StringComparison.Ordinal));
        Assert.Equal(before.CodesIssued, (await Fixture.TokenCountersAsync()).CodesIssued);
    }

    [Fact]
    public async Task Opening_the_launch_page_without_an_EHR_says_to_open_the_app_from_the_EHR()
    {
        await Page.GotoAsync(Fixture.LaunchUrl);
        await Session.WaitUntilFinishedAsync();

        var error = Page.Locator("#error[role='alert']");
        await Expect(error).ToHaveAttributeAsync("data-error-kind", "launch");
        await Expect(error).ToContainTextAsync("from the EHR");
    }

    /// <summary>The record's reads (patient and searches); SMART discovery stays reachable so the launch itself works.</summary>
    private bool IsFhirDataRequest(string url) =>
        url.StartsWith(Fixture.FhirBase + "/", StringComparison.Ordinal)
        && !url.Contains("/.well-known/", StringComparison.Ordinal)
        && !url.EndsWith("/metadata", StringComparison.Ordinal);
}
