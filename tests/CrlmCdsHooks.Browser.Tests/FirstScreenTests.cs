using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>What the clinician sees without scrolling, in a full window and in a 400 px EHR panel, and how numbers read.</summary>
public class FirstScreenTests(SmartLaunchFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const int ScreenHeight = 900;

    [Theory]
    [InlineData(AppSession.WideWidth)]
    [InlineData(AppSession.NarrowWidth)]
    public async Task The_first_screen_holds_the_group_the_recommendation_the_chart_and_the_four_factors(int width)
    {
        await Page.SetViewportSizeAsync(width, ScreenHeight);
        await Session.LaunchAsync("crlm-high-risk");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");

        var required = new List<string> { "#risk-group", "#recommendation", "#points-chart" };
        foreach (var id in SmartLaunchTests.FactorIds)
        {
            required.Add($"tr[data-factor='{id}'] th");
            required.Add($"tr[data-factor='{id}'] .factor-value");
            required.Add($"tr[data-factor='{id}'] .factor-points");
        }
        foreach (var selector in required)
        {
            var box = await Page.Locator(selector).BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException($"{selector} is not shown at {width} px.");
            Assert.True(box.Y + box.Height <= ScreenHeight, $"{selector} ends at {box.Y + box.Height:0} px, below the first screen ({ScreenHeight} px) at {width} px wide.");
        }
        await Expect(Page.Locator("tr[data-factor='ras-mutation'] .factor-value")).ToHaveTextAsync("KRAS mutation present");
        // The recommendation's long explanations come after the factors.
        var detailsBelow = await Page.EvaluateAsync<bool>("() => !!(document.querySelector('#factor-summary').compareDocumentPosition(document.querySelector('#recommendation-details')) & Node.DOCUMENT_POSITION_FOLLOWING)");
        Assert.True(detailsBelow);
        Assert.Equal(width, await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")); // no sideways scrolling
    }

    [Fact]
    public async Task Chart_labels_stay_legible_in_a_400_px_panel()
    {
        await Page.SetViewportSizeAsync(AppSession.NarrowWidth, ScreenHeight);
        await Session.LaunchAsync("crlm-indeterminate-ras");
        await Expect(Page.Locator("#points-chart")).ToBeVisibleAsync();

        var sizes = await Page.EvaluateAsync<JsonElement>("""
            () => { const chart = document.querySelector('#points-chart');
              const scale = chart.getBoundingClientRect().width / chart.viewBox.baseVal.width;
              return [...chart.querySelectorAll('text')].map(t => ({ text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale })); }
            """);
        Assert.NotEmpty(sizes.EnumerateArray());
        foreach (var label in sizes.EnumerateArray())
            Assert.True(label.GetProperty("px").GetDouble() >= 11, $"'{label.GetProperty("text").GetString()}' is drawn {label.GetProperty("px").GetDouble():0.0} px high.");
    }

    [Fact]
    public async Task A_total_of_zero_points_reads_as_zero()
    {
        await Session.LaunchAsync("crlm-low-risk");

        await Expect(Page.Locator("#score-with-local")).ToHaveTextAsync("0");
        await Expect(Page.Locator("#points-chart .zero-mark")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#points-chart")).ToContainTextAsync("0 points: no factor present");
    }

    [Fact]
    public async Task Points_carry_one_decimal_at_most_and_counts_read_as_words()
    {
        await Session.LaunchAsync("crlm-indeterminate-ras");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "indeterminate");

        // Everywhere points are shown (p-values and survival figures elsewhere keep their published precision).
        foreach (var selector in new[] { "#points-chart", "#factor-summary", ".totals", "#factors .factor-points", "#missing" })
            foreach (var text in await Page.Locator(selector).AllInnerTextsAsync())
                Assert.DoesNotMatch(new Regex(@"\d\.\d\d"), text);
        await Expect(Page.Locator("#recommendation-details")).ToContainTextAsync("between 10.2 and 14.1");
        Assert.DoesNotContain("(s)", await Page.Locator("#result").InnerTextAsync(), StringComparison.Ordinal);
        await Expect(Page.Locator("tr[data-factor='ras-mutation'] .factor-points")).ToHaveTextAsync("unknown (3.9 if present)");

        // Each supporting-score item says whether it counts.
        var items = Page.Locator("#supporting-scores li[data-counts]");
        Assert.True(await items.CountAsync() >= 5);
        foreach (var item in await items.AllAsync())
        {
            var counts = await item.GetAttributeAsync("data-counts");
            var expected = counts switch { "true" => "Counts: ", "false" => "Does not count: ", _ => "Unknown (would count if present): " };
            await Expect(item).ToContainTextAsync(expected);
        }
    }

    [Fact]
    public async Task The_banner_gives_age_identifier_and_the_time_of_the_assessment()
    {
        await Session.LaunchAsync("crlm-high-risk");

        var banner = Page.Locator("#patient-banner");
        await Expect(banner).ToContainTextAsync("Ben Hale");
        var age = DateTime.Today.Year - 1958 - (DateTime.Today < new DateTime(DateTime.Today.Year, 11, 2) ? 1 : 0);
        await Expect(banner).ToContainTextAsync($"born 1958-11-02 (age {age})");
        await Expect(Page.Locator("#patient-identifier")).ToHaveTextAsync("Identifier crlm-high-risk");
        await Expect(Page.Locator("#assessed-at")).ToHaveTextAsync(new Regex(@"^Assessed \d{4}-\d\d-\d\d \d\d:\d\d$"));
    }
}
