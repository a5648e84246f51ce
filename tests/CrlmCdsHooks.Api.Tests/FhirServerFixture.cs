using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// A real FHIR R4 server for the integration tests, loaded with the example patients. By default the Medplum-based test
/// server of tests/fhir-server on a free loopback port; with CRLM_FHIR_BASE_URL set, any FHIR server (e.g. HAPI's sandbox).
/// </summary>
public sealed class FhirServerFixture : IAsyncLifetime
{
    public const string BaseUrlVariable = "CRLM_FHIR_BASE_URL";
    private Process? _server;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>True when the tests run against the local test server, whose behaviour (e.g. request counts) they know.</summary>
    public bool IsLocal => _server is not null;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(BaseUrlVariable);
        BaseUrl = external is { Length: > 0 } ? new Uri(external.TrimEnd('/') + "/") : await StartLocalServerAsync();
        await LoadExamplesAsync(BaseUrl);
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
            _server.Kill(entireProcessTree: true);
        _server?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Loads every example transaction Bundle; they PUT fixed ids, so loading twice changes nothing.</summary>
    public static async Task LoadExamplesAsync(Uri baseUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var file in Directory.GetFiles(Examples.Directory, "*.bundle.json").Order())
        {
            using var content = new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
            using var response = await http.PostAsync(baseUrl, content);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Loading {Path.GetFileName(file)} into {baseUrl} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<Uri> StartLocalServerAsync()
    {
        var directory = Path.Combine(Path.GetDirectoryName(Examples.Directory)!, "..", "tests", "fhir-server");
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
            await RunAsync("npm", "ci --no-audit --no-fund", directory);

        _server = Process.Start(new ProcessStartInfo("node", "server.js")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PORT"] = "0" },
        })!;
        var ready = _server.StandardOutput.ReadLineAsync();
        if (await System.Threading.Tasks.Task.WhenAny(ready, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(60))) != ready || await ready is not { } line)
            throw new InvalidOperationException($"The test FHIR server did not start: {await _server.StandardError.ReadToEndAsync()}");
        const string prefix = "FHIR server listening on ";
        return new Uri(line[prefix.Length..].TrimEnd('/') + "/");
    }

    private static async Task RunAsync(string command, string arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} {arguments} failed in {directory}: {await errors}");
    }
}
