using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>
/// The MDT view, labelled as not scored: the dated records on a timeline with the disease-free interval, the lesions,
/// tumour markers over time, molecular results and treatment history, each section with data, without, and unread.
/// </summary>
public class MdtViewTests(SmartLaunchFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public async Task The_timeline_shows_the_hepatectomy_the_recurrence_and_the_interval_between_as_context()
    {
        await Session.LaunchAsync("crlm-high-risk");

        var mdt = Page.Locator("section#mdt");
        await Expect(mdt).ToContainTextAsync("nothing in this section changes the score");
        // One line per record, with every use of it.
        await Expect(mdt.Locator("#mdt-records li", new() { HasTextRegex = new Regex(@"^\d{4}-\d\d-\d\d First hepatectomy") })).ToContainTextAsync(
            new Regex("^2023-03-10 First hepatectomy; Recurrence < 6 months after the first hepatectomy: procedure, "));
        await Expect(mdt.Locator("#mdt-records li", new() { HasTextRegex = new Regex(@"^\d{4}-\d\d-\d\d Liver recurrence") })).ToHaveCountAsync(1);
        // Every item names its kind of record and its date; none shows a FHIR id.
        foreach (var item in await mdt.Locator("#mdt-records li").AllAsync())
            await Expect(item).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d .+: .+, .+"));
        await Expect(mdt).Not.ToContainTextAsync("Procedure/");
        await Expect(mdt.Locator("#mdt-timeline rect[data-interval='disease-free']")).ToHaveCountAsync(1);
        await Expect(mdt.Locator("#mdt-timeline")).ToHaveAttributeAsync("aria-label", new Regex(@"Disease-free interval [\d.]+ months \(2023-03-10 to \d{4}-\d\d-\d\d\)"));
    }

    [Fact]
    public async Task Each_section_shows_what_the_record_codes_with_its_source_and_date()
    {
        await Session.LaunchAsync(SmartLaunchFixture.MdtPatient);

        // The same record as the high-risk example: the context changes nothing in the score.
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        await Expect(Page.Locator("#score-with-local")).ToHaveTextAsync("18.7");
        var mdt = Page.Locator("section#mdt");

        var lesions = mdt.Locator("#mdt-lesions");
        await Expect(lesions.Locator("#mdt-sizes tbody tr")).ToHaveCountAsync(3);
        await Expect(lesions.Locator("#mdt-sizes tbody tr", new() { HasText = "31 mm" })).ToContainTextAsync("right lobe of liver");
        await Expect(lesions.Locator("#mdt-largest")).ToHaveTextAsync("Largest recorded: 42 mm (2023-06-28).");

        var markers = mdt.Locator("#mdt-markers");
        await Expect(markers.Locator("[data-marker='CEA'] svg.marker-chart circle")).ToHaveCountAsync(2);
        await Expect(markers.Locator("[data-marker='CA 19-9'] svg.marker-chart")).ToHaveAttributeAsync("aria-label",
            "CA 19-9 in U/mL: 64 on 2023-06-28, 30 on 2023-09-15.");
        await Expect(markers.Locator("[data-marker='CA 19-9'] li").First).ToHaveTextAsync("laboratory result, 2023-06-28: CA 19-9 64 U/mL");

        var molecular = mdt.Locator("#mdt-molecular");
        await Expect(molecular).ToContainTextAsync("Shown, not scored");
        await Expect(molecular.Locator("li[data-test='KRAS']")).ToContainTextAsync("KRAS: mutation");
        await Expect(molecular.Locator("li[data-test='BRAF']")).ToContainTextAsync("BRAF: Absent");
        await Expect(molecular.Locator("li[data-test='microsatellite instability']")).ToContainTextAsync("Stable");

        var treatment = mdt.Locator("#mdt-treatment");
        await Expect(treatment.Locator("#mdt-first-hepatectomy")).ToContainTextAsync("First hepatectomy: procedure, 2023-03-10: Liver excision");
        await Expect(treatment).ToContainTextAsync("Resection margin: not coded in the record read.");
        // Oxaliplatin through a referenced Medication, cetuximab by ATC code, capecitabine by name in free text.
        await Expect(treatment.Locator("#mdt-therapy li")).ToHaveTextAsync(
        [
            new Regex("^oxaliplatin: medication order, 2023-07-10: oxaliplatin \\(completed\\)$"),
            new Regex("^anti-EGFR antibody: medication administration, 2023-07-10: cetuximab \\(completed\\)$"),
            new Regex("^fluoropyrimidine: medication statement, 2023-08-01: Capecitabine 500 mg tablets \\(completed\\)$"),
        ]);
        await Expect(treatment).ToContainTextAsync("1 other medication record names none of these agents");
        await Expect(mdt.Locator("#mdt-timeline rect.therapy")).ToHaveCountAsync(3); // one mark per therapy record
        // The history no rule used is there too, and a record a rule used keeps the rule's words.
        await Expect(mdt.Locator("#mdt-records li", new() { HasTextRegex = new Regex("Colorectal primary diagnosed") })).ToHaveTextAsync(
            new Regex(@"^\d{4}-\d\d-\d\d Colorectal primary diagnosed: diagnosis, Malignant tumor of colon$"));
        await Expect(mdt.Locator("#mdt-records li", new() { HasTextRegex = new Regex("Liver resection") })).ToHaveCountAsync(0);
        await Expect(mdt.Locator("[data-unread]")).ToHaveCountAsync(0);
        await Expect(mdt).Not.ToContainTextAsync("Observation/");
        Output.WriteLine($"Medication read on its own (the server did not include it): {Session.Requests.Any(r => r.Url.Contains("/Medication/", StringComparison.Ordinal))}");

        var screenshots = await Session.SaveScreenshotsAsync("smart-app-mdt", Output);
        await AssertPageIsCleanAsync();
        await mdt.ScrollIntoViewIfNeededAsync();
        var mdtShot = Path.Combine(Path.GetDirectoryName(screenshots[0])!, "smart-app-mdt-section.png");
        await mdt.ScreenshotAsync(new() { Path = mdtShot });
        AppSession.UpdateDocumentationImage(mdtShot, "smart-app-mdt.png", Output);
    }

    [Fact]
    public async Task A_record_without_context_says_none_is_coded_in_each_section_instead_of_leaving_it_blank()
    {
        await Session.LaunchAsync("crlm-low-risk");

        var mdt = Page.Locator("section#mdt");
        await Expect(mdt.Locator("#mdt-markers [data-marker='CA 19-9']")).ToHaveCountAsync(0);
        await Expect(mdt.Locator("#mdt-treatment .none")).ToHaveTextAsync(
            "No oxaliplatin, irinotecan, fluoropyrimidine, anti-EGFR or anti-VEGF therapy is recorded in the medication records read.");
        await Expect(mdt.Locator("#mdt-treatment")).Not.ToContainTextAsync("other medication");
        await Expect(mdt.Locator("#mdt-molecular li[data-test='BRAF']")).ToHaveCountAsync(0);
        await Expect(mdt.Locator("[data-unread]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_refused_medication_scope_is_named_where_the_treatment_history_would_be_and_the_assessment_still_shows()
    {
        await Session.LaunchAsync(SmartLaunchFixture.MdtPatient, ehr: new Dictionary<string, string> { ["refuse_scopes"] = "patient/MedicationRequest.rs" });

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        var treatment = Page.Locator("#mdt-treatment");
        await Expect(treatment.Locator("[data-unread='treatment']")).ToContainTextAsync("MedicationRequest: not granted by the EHR (patient/MedicationRequest.rs)");
        // What was granted is still read: the administration and the statement, not the order.
        await Expect(treatment.Locator("#mdt-therapy li")).ToHaveCountAsync(2);
        Assert.DoesNotContain(Session.Requests, r => r.Url.Contains("/MedicationRequest?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_context_search_the_server_fails_is_named_in_its_section_and_nothing_else_is_lost()
    {
        await Page.RouteAsync("**/fhir/MedicationAdministration?**", route => route.FulfillAsync(new()
        {
            Status = 400,
            ContentType = "application/fhir+json",
            Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = SmartLaunchFixture.Origin(Fixture.ServiceUrl) },
            Body = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-supported","diagnostics":"MedicationAdministration search is not supported"}]}""",
        }));
        Session.ExpectFailedLoads = true;

        await Session.LaunchAsync(SmartLaunchFixture.MdtPatient);

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        await Expect(Page.Locator("#mdt-treatment [data-unread='treatment']")).ToContainTextAsync("MedicationAdministration: the EHR answered 400");
        // The order and the statement are still listed; the markers section, read by another search, is whole.
        await Expect(Page.Locator("#mdt-therapy li")).ToHaveCountAsync(2);
        await Expect(Page.Locator("#mdt-markers [data-unread]")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#mdt-markers [data-marker='CA 19-9']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_record_of_conditions_only_says_each_section_has_nothing_coded_and_draws_no_timeline()
    {
        await Session.LaunchAsync("no-crlm");

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "no-crlm");
        await Expect(Page.Locator("#mdt-timeline")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#mdt-timeline-section")).ToContainTextAsync("no dated first hepatectomy and recurrence");
        await Expect(Page.Locator("#mdt-lesions .none")).ToHaveTextAsync("No liver lesion size or count is coded in the record read.");
        await Expect(Page.Locator("#mdt-markers .none")).ToHaveTextAsync("No CEA or CA 19-9 result is coded in the record read.");
        await Expect(Page.Locator("#mdt-markers svg")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#mdt-molecular .none")).ToHaveTextAsync("No KRAS, NRAS, BRAF or microsatellite instability result is coded in the record read.");
        await Expect(Page.Locator("#mdt-treatment #mdt-first-hepatectomy")).ToHaveTextAsync("No first hepatectomy is recorded.");
        await Expect(Page.Locator("#mdt-treatment .none")).ToHaveCountAsync(1);
    }
}
