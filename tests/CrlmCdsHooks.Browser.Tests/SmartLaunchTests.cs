using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>The whole SMART EHR launch in Chromium: EHR → launch page → authorization (PKCE) → assessment page.</summary>
public class SmartLaunchTests(SmartLaunchFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    public static readonly string[] FactorIds = ["node-positive-primary", "largest-lesion-over-3cm", "early-recurrence", "ras-mutation"];

    [Fact]
    public async Task Records_to_check_are_listed_before_the_recommendation()
    {
        await Session.LaunchAsync("crlm-boundary-low");

        var review = Page.Locator("section#review");
        await Expect(review).ToBeVisibleAsync();
        await Expect(review).ToContainTextAsync("Check the data first");
        await Expect(review).ToContainTextAsync("within 1 mm of the model's 30 mm cut-off");
        // Review comes first: its position in the page precedes the recommendation.
        var order = await Page.EvaluateAsync<bool>("() => !!(document.querySelector('#review').compareDocumentPosition(document.querySelector('#recommendation')) & Node.DOCUMENT_POSITION_FOLLOWING)");
        Assert.True(order);
    }

    [Theory]
    [InlineData("crlm-low-risk", "Ada Lowe", "low", "Low risk", "0", "10", "2024-01-18", "0", "Repeat local treatment favoured if the MDT confirms")]
    [InlineData("crlm-high-risk", "Ben Hale", "high", "High risk", "18.7", "28.7", "2023-06-28", "3.9", "systemic therapy first")]
    [InlineData("crlm-indeterminate-ras", "Eva Open", "indeterminate", "Risk group undetermined", "10.2–14.1", "20.2–24.1", "2024-01-30", "3.9", "record KRAS/NRAS mutation status")]
    public async Task An_EHR_launch_shows_the_patients_assessment(string patient, string name, string group, string groupWords,
        string withLocal, string withoutLocal, string lesionDate, string rasPoints, string recommendation)
    {
        var before = await Fixture.TokenCountersAsync();

        await Session.LaunchAsync(patient);

        Assert.Equal(Fixture.AppUrl, Page.Url.Split('?')[0]);
        await Expect(Page.Locator("#error")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#patient-banner")).ToBeVisibleAsync();
        await Expect(Page.Locator("#patient-banner")).ToContainTextAsync(name);
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync(groupWords);
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", group);
        await Expect(Page.Locator("#recommendation")).ToContainTextAsync(recommendation);
        await Expect(Page.Locator("#review")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#score-with-local")).ToHaveTextAsync(withLocal);
        await Expect(Page.Locator("#score-without-local")).ToHaveTextAsync(withoutLocal);
        var chart = Page.Locator("svg#points-chart[role='img']");
        await Expect(chart).ToHaveAttributeAsync("aria-label", new Regex($"{Regex.Escape(withLocal)}.*{Regex.Escape(withoutLocal)}.*threshold 13"));

        foreach (var id in FactorIds)
        {
            var factor = Page.Locator($"li[data-factor='{id}']");
            await Expect(factor.Locator(".factor-value")).Not.ToBeEmptyAsync();
            await Expect(factor.Locator(".factor-points")).Not.ToBeEmptyAsync();
            await Expect(factor.Locator("select#assume-" + id)).ToHaveValueAsync("record");
        }
        var nodes = Page.Locator("li[data-factor='node-positive-primary'] .factor-source");
        await Expect(nodes).ToContainTextAsync("pathology report");
        await Expect(nodes).ToContainTextAsync("2022-10-05");
        var lesion = Page.Locator("li[data-factor='largest-lesion-over-3cm'] .factor-source");
        await Expect(lesion).ToContainTextAsync("tumour size");
        await Expect(lesion).ToContainTextAsync(lesionDate);
        var recurrence = Page.Locator("li[data-factor='early-recurrence'] .factor-source");
        await Expect(recurrence).ToContainTextAsync("procedure, 2023-03-10");
        await Expect(recurrence).ToContainTextAsync("2023-03-10");
        await Expect(Page.Locator("li[data-factor='ras-mutation'] .factor-points")).ToContainTextAsync(rasPoints);

        if (group == "indeterminate")
            await Expect(Page.Locator("#missing")).ToContainTextAsync("KRAS/NRAS mutation status");
        else
            await Expect(Page.Locator("#missing", new() { HasText = "RAS" })).ToHaveCountAsync(0);
        await Expect(Page.Locator("#supporting-scores")).ToContainTextAsync("Fong");
        await Expect(Page.Locator("#evidence")).ToContainTextAsync(new Regex("reconstructed", RegexOptions.IgnoreCase));
        await Expect(Page.Locator("#evidence")).ToContainTextAsync("interpretation");
        await Expect(Page.Locator("#what-if")).ToBeHiddenAsync();
        await Expect(Page.Locator("#app-context")).ToHaveCountAsync(0);

        await AssertPkceWasUsedAsync(before);
        // The token is sent to the FHIR server only (the session fails a test when the service gets it).
        Assert.All(Session.Requests.Where(r => r.Url.StartsWith(Fixture.FhirBase + "/", StringComparison.Ordinal) && !r.Url.Contains("/.well-known/", StringComparison.Ordinal)),
            r => Assert.True(r.HasAuthorization, $"{r.Url} had no bearer token"));
        Assert.Contains(Session.Requests, r => r.Method == "POST" && r.Url == Fixture.ServiceUrl + "/api/assessments" && !r.HasAuthorization);

        var screenshots = await Session.SaveScreenshotsAsync($"smart-app-{patient}", Output);
        await AssertPageIsCleanAsync(); // before a screenshot is published
        if (patient == "crlm-high-risk")
        {
            AppSession.UpdateDocumentationImage(screenshots[0], "smart-app-high-risk.png", Output);
            AppSession.UpdateDocumentationImage(screenshots[1], "smart-app-high-risk-narrow.png", Output);
        }
    }

    [Fact]
    public async Task The_cards_link_opens_the_app_on_the_assessment()
    {
        var answer = await Fixture.CallHookAsync("crlm-high-risk");

        var link = answer["cards"]![0]!["links"]![0]!;
        Assert.Equal("smart", (string?)link["type"]);
        Assert.Equal(Fixture.LaunchUrl, (string?)link["url"]);
        var appContext = (string?)link["appContext"];
        Assert.False(string.IsNullOrWhiteSpace(appContext));
        Assert.DoesNotContain("crlm-high-risk", appContext, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("patient", appContext, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("assessment", (string?)JsonNode.Parse(appContext!)!["view"]);

        await Session.LaunchAsync("crlm-high-risk", appContext: appContext, app: (string)link["url"]!);

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync("High risk");
        await Expect(Page.Locator("#app-context")).ToHaveTextAsync("Opened from the decision support card");
    }

    [Fact]
    public async Task A_standalone_launch_asks_for_a_patient_and_shows_the_assessment()
    {
        await Page.GotoAsync($"{Fixture.LaunchUrl}?iss={Uri.EscapeDataString(Fixture.FhirBase)}");
        await Session.WaitUntilFinishedAsync();

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "low");
        await Expect(Page.Locator("#patient-banner")).ToContainTextAsync("Ada Lowe");
        var authorize = Assert.Single(Session.Requests, r => r.Url.StartsWith(Fixture.AuthUrl + "/authorize?", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorize.Url).Query);
        var scopes = query["scope"]!.Split(' ');
        Assert.Contains("launch/patient", scopes);
        Assert.DoesNotContain("launch", scopes);
        Assert.Null(query["launch"]);
        Assert.Equal("S256", query["code_challenge_method"]);
    }

    [Fact]
    public async Task A_patient_outside_the_models_scope_is_told_why()
    {
        await Session.LaunchAsync("crlm-not-applicable-extrahepatic");

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "not-applicable");
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync("Model not applicable");
        await Expect(Page.Locator("#recommendation")).ToContainTextAsync("extrahepatic disease since the hepatectomy");
        await Expect(Page.Locator("#result")).ToContainTextAsync("Extrahepatic disease (outside the liver) at or after the hepatectomy");
        await Expect(Page.Locator("#result")).ToContainTextAsync("Secondary malignant neoplasm of unspecified lung, diagnosis of");
        await Expect(Page.Locator("#result")).Not.ToContainTextAsync("Condition/");
        await Expect(Page.Locator("#points-chart")).ToHaveCountAsync(0);
        await Expect(Page.Locator("li[data-factor]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_patient_without_liver_metastasis_is_told_so()
    {
        await Session.LaunchAsync("no-crlm");

        await Expect(Page.Locator("#patient-banner")).ToContainTextAsync("Hana Well");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "no-crlm");
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync("No liver metastasis on record");
        await Expect(Page.Locator("#points-chart")).ToHaveCountAsync(0);
        await Expect(Page.Locator("li[data-factor]")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The app sent a PKCE S256 challenge with state to /authorize, and redeemed the code at /token with the verifier
    /// that hashes to it: one more code redeemed at the authorization server, none refused.
    /// </summary>
    private async Task AssertPkceWasUsedAsync(TokenCounters before)
    {
        var authorize = Assert.Single(Session.Requests, r => r.Url.StartsWith(Fixture.AuthUrl + "/authorize?", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorize.Url).Query);
        Assert.Equal(SmartLaunchFixture.ClientId, query["client_id"]);
        Assert.Equal(Fixture.AppUrl, query["redirect_uri"]);
        Assert.Equal(Fixture.FhirBase, query["aud"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Contains("launch", query["scope"]!.Split(' '));

        var token = Assert.Single(Session.Requests, r => r.Method == "POST" && r.Url == Fixture.AuthUrl + "/token");
        var form = System.Web.HttpUtility.ParseQueryString(token.PostData ?? "");
        var verifier = form["code_verifier"];
        Assert.False(string.IsNullOrEmpty(verifier));
        Assert.Equal(query["code_challenge"], Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier!))));

        var after = await Fixture.TokenCountersAsync();
        Assert.Equal(before.CodesRedeemed + 1, after.CodesRedeemed);
        Assert.Equal(before.TokenRequestsRefused, after.TokenRequestsRefused);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
