using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>
/// What real launchers and EHRs do to the app: a FHIR proxy that rewrites <c>//</c>, a search that comes back empty,
/// scopes granted short, an EHR frame, an EHR that draws its own patient banner.
/// </summary>
public partial class RealLauncherTests(SmartLaunchFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task Behind_a_proxy_that_collapses_double_slashes_the_whole_record_is_read()
    {
        // The proxy is real: an unencoded system-qualified code, as the app used to send, matches nothing through it.
        const string unencoded = "Observation?patient=Patient/crlm-high-risk&code=http://loinc.org|2039-6";
        Assert.Equal(1, await Fixture.SearchCountAsync($"{Fixture.FhirBase}/{unencoded}"));
        Assert.Equal(0, await Fixture.SearchCountAsync($"{Fixture.ProxyFhirBase}/{unencoded}"));

        await Session.LaunchAsync("crlm-high-risk", iss: Fixture.ProxyFhirBase);

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        var observations = await Fixture.CountAsync("Observation", "crlm-high-risk");
        await Expect(Page.Locator("#read-summary")).ToHaveTextAsync(new Regex(
            $"^Read 3 conditions, {observations} observations, 1 procedure from {Regex.Escape(Fixture.ProxyFhirBase)}, \\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\.$"));

        // Every search value went percent-encoded, the MDT view's four context searches too: nothing in a value a proxy
        // could take for URL syntax.
        var searches = Session.Requests.Where(r => r.Url.StartsWith(Fixture.ProxyFhirBase + "/", StringComparison.Ordinal) && r.Url.Contains('?', StringComparison.Ordinal)).ToList();
        Assert.Equal(3 + 4, searches.Count);
        foreach (var search in searches)
            foreach (var parameter in new Uri(search.Url).Query.TrimStart('?').Split('&'))
                Assert.Matches(EncodedSearchValue(), parameter.Split('=', 2)[1]);
    }

    [Fact]
    public async Task A_condition_search_that_returns_nothing_while_the_others_return_data_is_not_concluded()
    {
        await Page.RouteAsync("**/fhir/Condition?**", route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "application/fhir+json",
            Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = SmartLaunchFixture.Origin(Fixture.ServiceUrl) },
            Body = """{"resourceType":"Bundle","type":"searchset","total":0,"entry":[]}""",
        }));

        await Session.LaunchAsync("crlm-high-risk");

        var heading = Page.Locator("#risk-group");
        await Expect(heading).ToHaveAttributeAsync("data-risk-group", "not-concluded");
        await Expect(heading).ToHaveTextAsync("No conclusion: the record read looks incomplete");
        await Expect(Page.Locator("#read-incomplete")).ToContainTextAsync("The EHR returned 5 observations, 1 procedure, but no conditions.");
        await Expect(Page.Locator("#read-summary")).ToContainTextAsync("Read 0 conditions, 5 observations, 1 procedure");
        await Expect(Page.Locator("main")).Not.ToContainTextAsync("No liver metastasis");
        await Expect(Page.Locator("#result")).ToHaveCountAsync(0);
        // Nothing was sent for scoring: an assessment of this read would say "no liver metastasis".
        Assert.DoesNotContain(Session.Requests, r => r.Url.StartsWith(Fixture.ServiceUrl + "/api/assessments", StringComparison.Ordinal));

        await Page.UnrouteAllAsync();
        await Page.Locator("#retry").ClickAsync();
        await Expect(heading).ToHaveAttributeAsync("data-risk-group", "high");
    }

    [Fact]
    public async Task A_patient_whose_record_holds_conditions_only_is_still_concluded()
    {
        await Session.LaunchAsync("no-crlm");

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "no-crlm");
        await Expect(Page.Locator("#read-summary")).ToContainTextAsync("Read 1 condition, 0 observations, 0 procedures");
    }

    [Fact]
    public async Task A_scope_the_EHR_does_not_grant_is_named_and_nothing_is_read()
    {
        await Session.LaunchAsync("crlm-high-risk", ehr: new Dictionary<string, string> { ["refuse_scopes"] = "patient/Observation.rs patient/Procedure.rs" });

        var error = Page.Locator("#error[role='alert']");
        await Expect(error).ToHaveAttributeAsync("data-error-kind", "scope-refused");
        await Expect(error).ToContainTextAsync("Missing: patient/Observation.rs, patient/Procedure.rs.");
        await Expect(error).ToContainTextAsync("Ask your EHR administrator");
        await Expect(error).Not.ToContainTextAsync("patient/Condition.rs");
        Assert.DoesNotContain(Session.Requests, r => r.Url.StartsWith(Fixture.FhirBase + "/Observation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_app_asks_for_no_user_identity()
    {
        await Session.LaunchAsync("crlm-low-risk");

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "low");
        var authorize = Assert.Single(Session.Requests, r => r.Url.StartsWith(Fixture.AuthUrl + "/authorize?", StringComparison.Ordinal));
        var scopes = System.Web.HttpUtility.ParseQueryString(new Uri(authorize.Url).Query)["scope"]!.Split(' ');
        Assert.DoesNotContain("openid", scopes);
        Assert.DoesNotContain("fhirUser", scopes);
    }

    [Fact]
    public async Task Inside_an_EHR_frame_the_launch_completes_in_the_frame()
    {
        // The fixture EHR's chart page (on the authorization server's origin, an allowed frame ancestor) frames the launch.
        var chart = Fixture.EhrLaunchUrl("crlm-high-risk").Replace("/ehr/launch?", "/ehr/frame?", StringComparison.Ordinal);

        await Page.GotoAsync(chart);
        var frame = Page.FrameLocator("iframe[name='app']");
        await Expect(frame.Locator("main#main[aria-busy='false']")).ToHaveCountAsync(1);

        await Expect(frame.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        await Expect(frame.Locator("#patient-banner")).ToContainTextAsync("Ben Hale");
        Assert.Equal(chart, Page.Url); // the EHR's own page stayed where it was
        Assert.Equal(Fixture.AppUrl, Page.Frame("app")!.Url.Split('?')[0]);
    }

    [Fact]
    public async Task When_the_EHR_shows_its_own_banner_the_apps_banner_takes_no_space()
    {
        await Session.LaunchAsync("crlm-high-risk", ehr: new Dictionary<string, string> { ["need_patient_banner"] = "false" });

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        var banner = Page.Locator("#patient-banner");
        await Expect(banner).ToBeHiddenAsync();
        Assert.Null(await banner.BoundingBoxAsync());
        var top = await Page.EvaluateAsync<JsonElement>("() => document.querySelector('main').getBoundingClientRect().top");
        Assert.Equal(0, top.GetDouble());
    }

    [GeneratedRegex("^[A-Za-z0-9%._~,-]*$")]
    private static partial Regex EncodedSearchValue();
}
