using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>Accessibility (axe, keyboard) and the page's security: strict CSP, nothing loaded or sent off the three origins.</summary>
public class PageQualityTests(SmartLaunchFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly string[] WhatIfSelects =
        ["assume-node-positive-primary", "assume-largest-lesion-over-3cm", "assume-early-recurrence", "assume-ras-mutation"];

    [Fact]
    public async Task The_assessment_has_no_axe_violations_wide_or_in_a_narrow_EHR_panel()
    {
        await Session.LaunchAsync("crlm-high-risk");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");

        foreach (var width in new[] { AppSession.WideWidth, AppSession.NarrowWidth })
        {
            await Page.SetViewportSizeAsync(width, 900);
            await AssertNoAxeViolationsAsync($"high-risk page at {width} px");
        }
    }

    [Fact]
    public async Task The_what_if_view_and_an_error_have_no_axe_violations()
    {
        await Session.LaunchAsync("crlm-indeterminate-ras");
        await Page.Locator("#assume-ras-mutation").SelectOptionAsync("present");
        await Expect(Page.Locator("#what-if")).ToBeVisibleAsync();
        await Expect(Page.Locator("main#main")).ToHaveAttributeAsync("aria-busy", "false");
        await AssertNoAxeViolationsAsync("what-if view");

        await Session.LaunchAsync("crlm-high-risk", iss: "http://127.0.0.1:9/fhir");
        await Expect(Page.Locator("#error")).ToHaveAttributeAsync("data-error-kind", "not-registered");
        await AssertNoAxeViolationsAsync("not-registered error");
    }

    [Fact]
    public async Task Tab_reaches_every_what_if_select_with_a_visible_focus()
    {
        await Session.LaunchAsync("crlm-high-risk");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");

        const int maxTabs = 60;
        var reached = new List<string>();
        for (var i = 0; i < maxTabs && !WhatIfSelects.All(reached.Contains); i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            var focused = await Page.EvaluateAsync<JsonElement>(
                "() => ({ id: document.activeElement?.id ?? '', outline: getComputedStyle(document.activeElement).outlineStyle })");
            var id = focused.GetProperty("id").GetString() ?? "";
            if (WhatIfSelects.Contains(id))
                Assert.True(focused.GetProperty("outline").GetString() != "none", $"#{id} has keyboard focus but no visible focus outline.");
            reached.Add(id);
        }

        Assert.Contains("assume-ras-mutation", reached);
        Assert.All(WhatIfSelects, id => Assert.Contains(id, reached));
        Output.WriteLine($"Tab order: {string.Join(" → ", reached.Select(id => id.Length == 0 ? "(no id)" : "#" + id))}");
    }

    [Fact]
    public async Task The_pages_run_under_a_strict_CSP_and_talk_only_to_the_service_and_the_EHR()
    {
        await Session.LaunchAsync("crlm-high-risk");
        await Expect(Page.Locator("#risk-group")).ToHaveAttributeAsync("data-risk-group", "high");

        var serviceOrigin = SmartLaunchFixture.Origin(Fixture.ServiceUrl);
        var pages = Session.Documents.Where(d => d.Url.StartsWith(serviceOrigin + "/", StringComparison.Ordinal)).ToList();
        Assert.Contains(pages, d => d.Url.StartsWith(Fixture.LaunchUrl + "?", StringComparison.Ordinal));
        Assert.Contains(pages, d => d.Url.StartsWith(Fixture.AppUrl + "?", StringComparison.Ordinal));
        foreach (var page in pages)
        {
            Assert.Equal(200, page.Status);
            var csp = page.ContentSecurityPolicy ?? throw new Xunit.Sdk.XunitException($"No Content-Security-Policy on {page.Url}");
            var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToHashSet());
            Assert.Equal(new HashSet<string> { "'self'" }, directives["script-src"]);
            Assert.Equal(new HashSet<string> { "'none'" }, directives["default-src"]);
            Assert.Equal(new HashSet<string> { Fixture.AuthUrl }, directives["frame-ancestors"]); // the fixture's EHR frames the app
            Assert.Equal(new HashSet<string> { "'self'", SmartLaunchFixture.Origin(Fixture.FhirBase), Fixture.AuthUrl }, directives["connect-src"]);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        }
        await Expect(Page.Locator("script:not([src])")).ToHaveCountAsync(0);

        // Every request went to one of the three origins, and each of them was used (the check is not vacuous).
        var origins = Session.Requests.Select(r => SmartLaunchFixture.Origin(r.Url)).ToHashSet();
        Assert.Subset(Fixture.AllowedOrigins.ToHashSet(), origins);
        Assert.Equal(Fixture.AllowedOrigins.Count, origins.Count);
        Output.WriteLine(string.Join('\n', Session.Requests.Select(r => $"{r.Method} {r.ResourceType} {r.Url.Split('?')[0]}")));
    }

    [Fact]
    public async Task An_injected_inline_script_is_blocked_and_reported()
    {
        await Session.LaunchAsync("crlm-high-risk");

        var ran = true;
        await Page.RunAndWaitForConsoleMessageAsync(async () => ran = await Page.EvaluateAsync<bool>("""
            () => {
              const script = document.createElement('script');
              script.textContent = 'window.__injected = true;';
              document.head.append(script);
              return window.__injected === true;
            }
            """), new() { Predicate = m => m.Text.Contains("Content Security Policy violation", StringComparison.Ordinal) });

        Assert.False(ran, "An inline script ran: the page's CSP did not block it.");
        var reported = Session.AcknowledgeConsoleErrors(e => e.Contains("Content Security Policy", StringComparison.Ordinal));
        Assert.Contains(reported, e => e.Contains("script-src", StringComparison.Ordinal));
    }

    private async Task AssertNoAxeViolationsAsync(string what)
    {
        var result = await Page.RunAxe();
        var violations = result.Violations.Select(Describe).ToList();
        foreach (var line in violations)
            Output.WriteLine(line);
        Assert.True(violations.Count == 0, $"axe found {violations.Count} violation(s) on the {what}:\n{string.Join('\n', violations)}");
        Output.WriteLine($"axe: no violations on the {what} ({result.Passes.Length} rules passed).");
    }

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Id} ({violation.Impact}): {violation.Help} {violation.HelpUrl}\n"
        + string.Join('\n', violation.Nodes.Select(n => $"    {n.Target}: {n.Html} — {string.Join("; ", (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message))}"));
}
