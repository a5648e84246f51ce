using Microsoft.Playwright;

namespace CrlmCdsHooks.Browser.Tests;

/// <summary>
/// A test with its own browser context. After every test, whatever it asserted, the page must have made no request off
/// the three known origins, served its HTML under a strict CSP, logged no error (see <see cref="AppSession.Problems"/>),
/// and show no "null" or "undefined" (see <see cref="AppSession.TextProblemsAsync"/>).
/// </summary>
[Collection(nameof(SmartLaunchFixture))]
public abstract class BrowserTest(SmartLaunchFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private AppSession? _session;

    protected SmartLaunchFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    protected AppSession Session => _session ?? throw new InvalidOperationException("No browser session.");

    protected IPage Page => Session.Page;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)AppSession.FinishTimeout.TotalMilliseconds);
        _session = await AppSession.OpenAsync(Fixture);
    }

    public async Task DisposeAsync()
    {
        if (_session is null)
            return;
        var problems = await ProblemsAsync(_session);
        await _session.DisposeAsync();
        _session = null;
        AssertNone(problems);
    }

    /// <summary>The end-of-test check, earlier: e.g. before a screenshot is published.</summary>
    protected async Task AssertPageIsCleanAsync() => AssertNone(await ProblemsAsync(Session));

    private static async Task<List<string>> ProblemsAsync(AppSession session) =>
        [.. session.Problems(), .. await session.TextProblemsAsync()];

    private static void AssertNone(List<string> problems) =>
        Assert.True(problems.Count == 0, $"The page had {problems.Count} problem(s):\n" + string.Join('\n', problems));
}
