using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using CrlmCdsHooks.Validation.Demo;

namespace CrlmCdsHooks.Validation.Tests;

/// <summary>
/// The test FHIR server of tests/fhir-server (Medplum's FHIR router, with the fixture's minimal Bulk Data export) on a
/// free loopback port, loaded with a synthetic cohort. The same cohort is also written as NDJSON, so a test can compare
/// the report from the server's export with the report from the files.
/// </summary>
public class BulkExportServer : IAsyncLifetime
{
    public const int Patients = 120;
    public const int Seed = 9;

    private NodeFixtureProcess? _server;
    private readonly string _directory = Directory.CreateTempSubdirectory("crlm-bulk-server-").FullName;

    /// <summary>The FHIR base URL, without a trailing slash.</summary>
    public string BaseUrl => _server!.Url;

    /// <summary>The same cohort as NDJSON files.</summary>
    public string NdjsonDirectory => Path.Combine(_directory, "export");

    /// <summary>Environment of the server process (e.g. <c>BULK_EXPORT_TOKEN</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        await NodeFixtureProcess.EnsurePackagesAsync();
        _server = await NodeFixtureProcess.StartAsync("server.js", "FHIR server listening on ", Environment);
        DemoExport.Write(NdjsonDirectory, Patients, Seed);
        var cohort = new SyntheticCohort(Seed);
        using var http = new HttpClient();
        // Four patients (about 40 resources) per transaction: the Medplum router limits the updates in one.
        for (var batch = 0; batch < Patients / 4; batch++)
        {
            var entries = new JsonArray();
            for (var i = 0; i < 4; i++)
                foreach (var resource in cohort.Next().Resources)
                    entries.Add(new JsonObject
                    {
                        ["resource"] = resource,
                        ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{resource["resourceType"]}/{resource["id"]}" },
                    });
            var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
            using var content = new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/fhir+json");
            using var response = await http.PostAsync(BaseUrl, content);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>How the next exports behave: in-progress answers before the manifest, their Retry-After, and a failure message.</summary>
    public async Task ConfigureExportsAsync(int polls, int retryAfterSeconds, string? fail = null)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(FixtureUrl, new { polls, retryAfterSeconds, fail });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The status-poll times (ms) the server saw for each export so far.</summary>
    public async Task<IReadOnlyList<long[]>> PollTimesAsync()
    {
        using var http = new HttpClient();
        var state = JsonNode.Parse(await http.GetStringAsync(FixtureUrl))!;
        return [.. state["exports"]!.AsArray().Select(e => e!["pollTimes"]!.AsArray().Select(t => (long)t!).ToArray())];
    }

    private string FixtureUrl => BaseUrl[..^"/fhir".Length] + "/fixture/bulk-export";

    public Task DisposeAsync()
    {
        _server?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The same server with bulk export behind a bearer token.</summary>
public sealed class TokenBulkExportServer : BulkExportServer
{
    public const string Token = "fixture-bulk-token";

    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["BULK_EXPORT_TOKEN"] = Token };
}
