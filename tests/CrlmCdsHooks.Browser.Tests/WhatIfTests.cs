using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>What-if: the clinician sets an unknown factor by hand; the page says the view is hypothetical and writes nothing.</summary>
public class WhatIfTests(SmartLaunchFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Patient = "crlm-indeterminate-ras";
    private static readonly string[] ResourceTypes = ["Observation", "Condition", "Procedure"];

    [Fact]
    public async Task Assuming_the_unknown_RAS_status_changes_the_group_and_nothing_is_written_to_the_EHR()
    {
        var countsBefore = await CountsAsync();
        await Session.LaunchAsync(Patient);
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "indeterminate");
        await Expect(Page.Locator("#what-if")).ToBeHiddenAsync();
        var fhirRequestsAfterLaunch = FhirRequests().Count;

        await ChooseWithKeyboardAsync("assume-ras-mutation", "present");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync("High risk");
        await Expect(Page.Locator("#score-with-local")).ToHaveTextAsync("14.1");
        await Expect(Page.Locator("#what-if")).ToBeVisibleAsync();
        await Expect(Page.Locator("#what-if")).ToContainTextAsync("hypothetical");
        // The new group is said beside the control that changed it, where the clinician is looking.
        var control = Page.Locator("li[data-factor='ras-mutation'] .what-if-control");
        await Expect(control.Locator(".what-if-result")).ToHaveTextAsync("Risk group with this assumption: High risk");
        await Expect(Page.Locator("tr[data-factor='ras-mutation'] .factor-value")).ToContainTextAsync("(what-if)");

        await ChooseWithKeyboardAsync("assume-ras-mutation", "absent");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "low");
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync("Low risk");
        await Expect(Page.Locator("#score-with-local")).ToHaveTextAsync("10.2");
        await Expect(Page.Locator("#what-if")).ToBeVisibleAsync();
        await Expect(control.Locator(".what-if-result")).ToHaveTextAsync("Risk group with this assumption: Low risk");

        await ChooseWithKeyboardAsync("assume-ras-mutation", "record");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "indeterminate");
        await Expect(Page.Locator("#risk-group")).ToHaveTextAsync("Risk group undetermined");
        await Expect(Page.Locator("#score-with-local")).ToHaveTextAsync("10.2–14.1");
        await Expect(Page.Locator("#what-if")).ToBeHiddenAsync();
        await Expect(Page.Locator(".what-if-result")).ToHaveCountAsync(0);

        // The what-if is scored by the service alone: no further request reached the EHR, and the record is unchanged.
        Assert.Equal(fhirRequestsAfterLaunch, FhirRequests().Count);
        Assert.All(FhirRequests(), r => Assert.Equal("GET", r.Method));
        Assert.Equal(countsBefore, await CountsAsync());
    }

    /// <summary>
    /// Moves the select to <paramref name="value"/> with the arrow keys, one option at a time; each change re-scores and
    /// redraws the page, which then puts the focus back on the select.
    /// </summary>
    private async Task ChooseWithKeyboardAsync(string selectId, string value)
    {
        var select = Page.Locator("#" + selectId);
        await select.FocusAsync();
        var options = await select.Locator("option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        var current = Array.IndexOf(options, await select.InputValueAsync());
        var target = Array.IndexOf(options, value);
        Assert.True(target >= 0, $"#{selectId} has no option '{value}' (options: {string.Join(", ", options)})");
        var step = Math.Sign(target - current);
        for (var i = current; i != target; i += step)
        {
            await Page.Keyboard.PressAsync(step > 0 ? "ArrowDown" : "ArrowUp");
            await Expect(Page.Locator("main#main")).ToHaveAttributeAsync("aria-busy", "false");
            await Expect(select).ToHaveValueAsync(options[i + step]);
            await Expect(select).ToBeFocusedAsync();
        }
    }

    private List<RecordedRequest> FhirRequests() =>
        Session.Requests.Where(r => r.Url.StartsWith(Fixture.FhirBase + "/", StringComparison.Ordinal)).ToList();

    private async Task<string> CountsAsync()
    {
        var counts = new List<string>();
        foreach (var type in ResourceTypes)
            counts.Add($"{type}: {await Fixture.CountAsync(type, Patient)}");
        return string.Join(", ", counts);
    }
}
