using System.Diagnostics;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Validation.Cli;
using CrlmCdsHooks.Validation.Export;

namespace CrlmCdsHooks.Validation.Tests;

/// <summary>The Bulk Data client against a real FHIR server (the test server's $export): polling, failure, tokens.</summary>
public sealed class BulkExportTests(BulkExportServer server) : IClassFixture<BulkExportServer>, IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_export_that_asks_to_wait_is_polled_after_Retry_After_and_reports_as_the_files_do()
    {
        await server.ConfigureExportsAsync(polls: 2, retryAfterSeconds: 1);
        var before = (await server.PollTimesAsync()).Count;

        var (exit, error) = await Run("--fhir-server", server.BaseUrl, "--out", _directory.Sub("server"), "--bootstrap", "50");
        var (fromFiles, _) = await Run("--input", server.NdjsonDirectory, "--out", _directory.Sub("files"), "--bootstrap", "50");

        Assert.True(exit == 0, error);
        Assert.Equal(0, fromFiles);
        var polls = (await server.PollTimesAsync()).Skip(before).Single();
        Assert.Equal(3, polls.Length); // two "in progress", then the manifest
        Assert.All(polls.Zip(polls.Skip(1)), p => Assert.True(p.Second - p.First >= 950, $"polled again after {p.Second - p.First} ms"));
        var viaServer = Report("server");
        var viaFiles = Report("files");
        foreach (var key in new[] { "patients", "eligible", "exclusions", "riskGroups", "cIndex", "logRank" })
            Assert.Equal(viaFiles[key]!.ToJsonString(), viaServer[key]!.ToJsonString());
        Assert.Equal(BulkExportServer.Patients, (int)viaServer["patients"]!);
        Assert.Equal(4, Directory.GetFiles(_directory.Sub("server/export"), "*.ndjson").Length);
    }

    [Fact]
    public async Task A_failed_export_ends_with_the_servers_reason_and_a_non_zero_exit()
    {
        await server.ConfigureExportsAsync(polls: 1, retryAfterSeconds: 0, fail: "simulated failure: export storage is full");

        var (exit, error) = await Run("--fhir-server", server.BaseUrl, "--out", _directory.Sub("failed"));

        Assert.Equal(ValidationCommand.InputError, exit);
        Assert.Contains("The export failed", error, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", error, StringComparison.Ordinal);
        Assert.Contains("simulated failure: export storage is full", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.Sub("failed/report.json")));
    }

    [Fact]
    public async Task The_client_counts_its_polls_and_saves_one_file_per_output()
    {
        await server.ConfigureExportsAsync(polls: 0, retryAfterSeconds: 0);
        using var http = new HttpClient();

        var result = await new BulkDataClient(http, bearerToken: null).ExportAsync(new Uri(server.BaseUrl), _directory.Sub("client"));

        Assert.Equal(1, result.Polls);
        Assert.Equal(["Condition", "Observation", "Patient", "Procedure"], result.Outputs.Select(o => o.Type).Order());
        Assert.Equal(BulkExportServer.Patients, File.ReadAllLines(_directory.Sub("client/Patient-1.ndjson")).Length);
    }

    [Fact]
    public async Task An_unreachable_server_is_named()
    {
        var (exit, error) = await Run("--fhir-server", "http://127.0.0.1:9/fhir", "--out", _directory.Sub("none"));

        Assert.Equal(ValidationCommand.InputError, exit);
        Assert.Contains("could not be reached", error, StringComparison.Ordinal);
    }

    private JsonObject Report(string run) => JsonNode.Parse(File.ReadAllText(_directory.Sub($"{run}/report.json")))!.AsObject();

    internal static async Task<(int Exit, string Error)> Run(params string[] args)
    {
        using var error = new StringWriter();
        var exit = await ValidationCommand.RunAsync(args, TextWriter.Null, error, showProgress: false);
        return (exit, error.ToString());
    }
}

/// <summary>Bulk export behind a bearer token: from the option, from the environment variable, or refused without one.</summary>
public sealed class BulkExportTokenTests(TokenBulkExportServer server) : IClassFixture<TokenBulkExportServer>, IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Without_a_token_the_refusal_is_reported()
    {
        var (exit, error) = await BulkExportTests.Run("--fhir-server", server.BaseUrl, "--out", _directory.Sub("none"));

        Assert.Equal(ValidationCommand.InputError, exit);
        Assert.Contains("HTTP 401", error, StringComparison.Ordinal);
        Assert.Contains("bearer token is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_option_is_sent()
    {
        await server.ConfigureExportsAsync(polls: 0, retryAfterSeconds: 0);

        var (exit, error) = await BulkExportTests.Run("--fhir-server", server.BaseUrl, "--token", TokenBulkExportServer.Token,
            "--out", _directory.Sub("option"), "--bootstrap", "20");

        Assert.True(exit == 0, error);
        Assert.True(File.Exists(_directory.Sub("option/report.json")));
    }

    [Fact]
    public async Task The_token_environment_variable_is_sent()
    {
        await server.ConfigureExportsAsync(polls: 0, retryAfterSeconds: 0);
        // A separate process, so the variable does not leak into other tests.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "CrlmCdsHooks.Validation.dll"), "--fhir-server", server.BaseUrl,
                     "--out", _directory.Sub("variable"), "--bootstrap", "20" })
            start.ArgumentList.Add(arg);
        start.Environment[CommandLine.TokenVariable] = TokenBulkExportServer.Token;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await error);
        Assert.True(File.Exists(_directory.Sub("variable/report.json")));
    }
}
