using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>The MDT context: the dated records on a timeline with the disease-free interval, labelled as not scored.</summary>
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

        var screenshots = await Session.SaveScreenshotsAsync("smart-app-mdt", Output);
        await AssertPageIsCleanAsync();
        await mdt.ScrollIntoViewIfNeededAsync();
        var mdtShot = Path.Combine(Path.GetDirectoryName(screenshots[0])!, "smart-app-mdt-section.png");
        await mdt.ScreenshotAsync(new() { Path = mdtShot });
        AppSession.UpdateDocumentationImage(mdtShot, "smart-app-mdt.png", Output);
    }

    [Fact]
    public async Task Without_a_liver_metastasis_there_is_no_timeline()
    {
        await Session.LaunchAsync("no-crlm");

        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "no-crlm");
        await Expect(Page.Locator("section#mdt")).ToHaveCountAsync(0);
    }
}
