using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// A real FHIR R4 server for the integration tests, loaded with the example patients. By default the Medplum-based test
/// server of tests/fhir-server on a free loopback port; with CRLM_FHIR_BASE_URL set, any FHIR server (e.g. HAPI's sandbox).
/// </summary>
public class FhirServerFixture : IAsyncLifetime
{
    public const string BaseUrlVariable = "CRLM_FHIR_BASE_URL";
    private NodeFixtureProcess? _server;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>True when the tests run against the local test server, whose behaviour (e.g. request counts) they know.</summary>
    public bool IsLocal => _server is not null;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(BaseUrlVariable);
        BaseUrl = external is { Length: > 0 } ? new Uri(external.TrimEnd('/') + "/") : await StartLocalServerAsync();
        await LoadAsync(BaseUrl);
    }

    /// <summary>What the server holds: the example patients.</summary>
    protected virtual Task LoadAsync(Uri baseUrl) => Examples.LoadIntoAsync(baseUrl);

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }

    private async Task<Uri> StartLocalServerAsync()
    {
        await NodeFixtureProcess.EnsurePackagesAsync();
        _server = await NodeFixtureProcess.StartAsync("server.js", "FHIR server listening on ", new Dictionary<string, string>());
        return new Uri(_server.Url + "/");
    }
}

/// <summary>
/// A second test FHIR server holding the realistic-record corpus, so its thousand resources do not slow the timing-
/// sensitive fault tests of the first (the Medplum test server searches linearly).
/// </summary>
public sealed class CorpusFhirServerFixture : FhirServerFixture
{
    protected override Task LoadAsync(Uri baseUrl) => Corpus.LoadIntoAsync(baseUrl);
}
