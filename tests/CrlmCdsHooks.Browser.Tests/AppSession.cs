using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CrlmCdsHooks.TestData;
using Microsoft.Playwright;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>
/// One test's browser context and page, with a record of everything the page did: its requests, the HTML documents the
/// service sent (and their headers), console errors, uncaught page errors and Content-Security-Policy violations.
/// </summary>
public sealed partial class AppSession : IAsyncDisposable
{
    public const int WideWidth = 1280;
    public const int NarrowWidth = 400; // an EHR side panel
    public static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Reports every CSP violation as a console error, in case the browser's own message ever changes.</summary>
    private const string CspViolationReporter = """
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`));
        """;

    private readonly SmartLaunchFixture _fixture;
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<RecordedDocument> _documents = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly HashSet<string> _acknowledged = [];
    private readonly ConcurrentQueue<string> _pageErrors = new();

    private AppSession(SmartLaunchFixture fixture, IBrowserContext context, IPage page)
    {
        _fixture = fixture;
        _context = context;
        Page = page;
        context.Request += (_, request) => _requests.Enqueue(new RecordedRequest(request.Method, request.Url, request.ResourceType,
            request.Url.StartsWith(fixture.AuthUrl + "/token", StringComparison.Ordinal) ? request.PostData : null,
            request.Headers.ContainsKey("authorization")));
        context.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "document")
                _documents.Enqueue(new RecordedDocument(response.Url, response.Status,
                    response.Headers.GetValueOrDefault("content-type"), response.Headers.GetValueOrDefault("content-security-policy")));
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                _consoleErrors.Enqueue($"{message.Text} (at {message.Location})");
        };
        page.PageError += (_, error) => _pageErrors.Enqueue(error);
    }

    public IPage Page { get; }

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public IReadOnlyCollection<RecordedDocument> Documents => _documents;

    /// <summary>
    /// For the deliberate error-state tests only: the browser's own console errors about failed loads (a refused
    /// connection, a 401) are expected there. Page errors and CSP violations still fail the test.
    /// </summary>
    public bool ExpectFailedLoads { get; set; }

    public static async Task<AppSession> OpenAsync(SmartLaunchFixture fixture)
    {
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = WideWidth, Height = 900 } });
        await context.AddInitScriptAsync(CspViolationReporter);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)FinishTimeout.TotalMilliseconds);
        return new AppSession(fixture, context, page);
    }

    /// <summary>Plays the EHR's launch of the app for <paramref name="patient"/> and waits until the page is finished.</summary>
    public async Task LaunchAsync(string patient, string? appContext = null, string? iss = null, string? app = null,
        IReadOnlyDictionary<string, string>? ehr = null)
    {
        await Page.GotoAsync(_fixture.EhrLaunchUrl(patient, appContext, iss, app, ehr));
        await WaitUntilFinishedAsync();
    }

    /// <summary>The page says it is finished (a result or an error) with <c>aria-busy="false"</c> on <c>main</c>.</summary>
    public Task WaitUntilFinishedAsync() =>
        Page.Locator("main#main[aria-busy='false']").WaitForAsync(new() { Timeout = (float)FinishTimeout.TotalMilliseconds });

    /// <summary>Full-page screenshots at the wide and the narrow width, under the test output's TestResults/screenshots.</summary>
    public async Task<IReadOnlyList<string>> SaveScreenshotsAsync(string name, ITestOutputHelper output)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var width in new[] { WideWidth, NarrowWidth })
        {
            await Page.SetViewportSizeAsync(width, 900);
            var path = Path.Combine(folder, $"{name}-{width}px.png");
            await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
            output.WriteLine($"Screenshot: {path}");
            paths.Add(path);
        }
        await Page.SetViewportSizeAsync(WideWidth, 900);
        return paths;
    }

    /// <summary>With CRLM_UPDATE_SCREENSHOTS=1, copies screenshots to docs/images (the README embeds them).</summary>
    public static void UpdateDocumentationImage(string source, string fileName, ITestOutputHelper output)
    {
        if (Environment.GetEnvironmentVariable("CRLM_UPDATE_SCREENSHOTS") != "1")
            return;
        var folder = Path.GetFullPath(Path.Combine(Examples.Directory, "..", "..", "docs", "images"));
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, fileName);
        File.Copy(source, target, overwrite: true);
        output.WriteLine($"Updated {target}");
    }

    /// <summary>
    /// What went wrong on the page beyond what the test asserts: a request to another origin than the service, the FHIR
    /// server and the authorization server; a request to the service carrying the SMART token; an HTML page of the service without a strict CSP; a CSP violation; an uncaught
    /// error; a console error (except, when <see cref="ExpectFailedLoads"/>, the browser's failed-load messages).
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var allowed = _fixture.AllowedOrigins;
        foreach (var request in _requests.Where(r => !allowed.Contains(Origin(r.Url))))
            problems.Add($"request to another origin: {request.Method} {request.Url}");

        var serviceOrigin = SmartLaunchFixture.Origin(_fixture.ServiceUrl);
        foreach (var request in _requests.Where(r => Origin(r.Url) == serviceOrigin && r.HasAuthorization))
            problems.Add($"the SMART token must stay in the browser, but {request.Method} {request.Url} carried an Authorization header");
        foreach (var document in _documents.Where(d => Origin(d.Url) == serviceOrigin && d.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true))
        {
            if (document.ContentSecurityPolicy is not { } csp)
                problems.Add($"no Content-Security-Policy header on {document.Url}");
            else if (!csp.Contains("script-src 'self'", StringComparison.Ordinal) || csp.Contains("unsafe-inline", StringComparison.Ordinal) || csp.Contains("unsafe-eval", StringComparison.Ordinal))
                problems.Add($"Content-Security-Policy of {document.Url} is not strict: {csp}");
        }

        problems.AddRange(_pageErrors.Select(e => $"uncaught page error: {e}"));
        foreach (var error in _consoleErrors.Where(e => !_acknowledged.Contains(e)))
        {
            var isCspViolation = error.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase);
            var isFailedLoad = error.StartsWith("Failed to load resource", StringComparison.Ordinal);
            if (isCspViolation || !(ExpectFailedLoads && isFailedLoad))
                problems.Add($"console error: {error}");
        }
        return problems;
    }

    /// <summary>
    /// A value the page failed to turn into words: <c>null</c>, <c>undefined</c>, <c>NaN</c> or <c>[object …]</c> in the
    /// text of the page as it is now (a null passed to the DOM's append/replaceChildren becomes the text "null").
    /// </summary>
    public async Task<IReadOnlyList<string>> TextProblemsAsync()
    {
        if (Page.IsClosed)
            return [];
        string text;
        try
        {
            text = await Page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
        }
        catch (PlaywrightException e)
        {
            return [$"the page's text could not be read: {e.Message}"];
        }
        return [.. RenderedNothing().Matches(text).Select(m =>
            $"the page shows '{m.Value}': …{text[Math.Max(0, m.Index - 40)..Math.Min(text.Length, m.Index + m.Length + 40)].ReplaceLineEndings(" ⏎ ")}…")];
    }

    /// <summary>For a test that provokes console errors on purpose: they no longer count as problems.</summary>
    public IReadOnlyList<string> AcknowledgeConsoleErrors(Func<string, bool> match)
    {
        var matching = _consoleErrors.Where(match).ToList();
        _acknowledged.UnionWith(matching);
        return matching;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    [GeneratedRegex(@"\b(null|undefined|NaN)\b|\[object \w+\]")]
    private static partial Regex RenderedNothing();

    private static string Origin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : url;
}

public sealed record RecordedRequest(string Method, string Url, string ResourceType, string? PostData, bool HasAuthorization);

public sealed record RecordedDocument(string Url, int Status, string? ContentType, string? ContentSecurityPolicy);
