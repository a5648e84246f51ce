using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CrlmCdsHooks.Validation.Export;

/// <summary>One file of a completed export.</summary>
public sealed record ExportOutput(string Type, Uri Url, long? Count);

/// <summary>The manifest of a completed export, and where its files were saved.</summary>
/// <param name="Polls">Status requests made until the export was complete.</param>
public sealed record ExportResult(IReadOnlyList<ExportOutput> Outputs, int Errors, int Polls, string Directory);

/// <summary>
/// A FHIR Bulk Data Access (v2) client for one patient-level export: kick-off with <c>Prefer: respond-async</c>, status
/// polling that waits as long as the server's <c>Retry-After</c> asks, then download of the NDJSON files.
/// The bearer token goes to the kick-off and status URLs, and to the files only when the manifest says they require it.
/// </summary>
public sealed class BulkDataClient(HttpClient http, string? bearerToken, IProgress<ProgressUpdate>? progress = null)
{
    /// <summary>The resource types exported: what the model reads.</summary>
    public static IReadOnlyList<string> Types { get; } = ["Patient", "Condition", "Observation", "Procedure"];

    /// <summary>The wait between polls when the server gives no <c>Retry-After</c>.</summary>
    public TimeSpan DefaultPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest single wait honoured, whatever <c>Retry-After</c> says.</summary>
    public TimeSpan LongestPollInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the whole export may take before the client gives up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(6);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the export and saves its files (one <c>Type-n.ndjson</c> per output) into <paramref name="directory"/>.</summary>
    /// <exception cref="InputException">The server refused the kick-off, the export failed, or a file could not be fetched.</exception>
    public async Task<ExportResult> ExportAsync(Uri fhirBase, string directory, CancellationToken cancellation = default)
    {
        var baseUrl = fhirBase.AbsoluteUri.EndsWith('/') ? fhirBase : new Uri(fhirBase.AbsoluteUri + "/");
        var kickOff = new Uri(baseUrl, $"Patient/$export?_type={string.Join(",", Types)}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Timeout);
        try
        {
            var status = await KickOffAsync(kickOff, timeout.Token);
            var (manifest, polls) = await PollAsync(status, timeout.Token);
            Directory.CreateDirectory(directory);
            var outputs = manifest.Output ?? [];
            var perType = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var output in outputs)
            {
                var n = perType[output.Type] = perType.GetValueOrDefault(output.Type) + 1;
                await DownloadAsync(new Uri(output.Url), Path.Combine(directory, $"{SafeName(output.Type)}-{n}.ndjson"), manifest.RequiresAccessToken, timeout.Token);
            }
            await DeleteQuietlyAsync(status);
            return new ExportResult([.. outputs.Select(o => new ExportOutput(o.Type, new Uri(o.Url), o.Count))], manifest.Error?.Count ?? 0, polls, directory);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new InputException($"The export from {baseUrl} did not complete within {Timeout.TotalMinutes:0} minutes.");
        }
        catch (HttpRequestException e)
        {
            throw new InputException($"The FHIR server {baseUrl} could not be reached: {e.Message}", e);
        }
    }

    private async Task<Uri> KickOffAsync(Uri kickOff, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Get, kickOff, "application/fhir+json", withToken: true);
        request.Headers.Add("Prefer", "respond-async");
        using var response = await http.SendAsync(request, cancellation);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InputException($"The server refused the export request {kickOff}: {await DescribeAsync(response, cancellation)}");
        return response.Content.Headers.ContentLocation ?? response.Headers.Location
            ?? throw new InputException($"The server accepted the export request {kickOff} but gave no Content-Location to poll.");
    }

    private async Task<(Manifest Manifest, int Polls)> PollAsync(Uri status, CancellationToken cancellation)
    {
        for (var polls = 1; ; polls++)
        {
            using var request = Request(HttpMethod.Get, status, "application/json", withToken: true);
            using var response = await http.SendAsync(request, cancellation);
            if (response.StatusCode == HttpStatusCode.OK)
                return (await response.Content.ReadFromJsonAsync<Manifest>(JsonOptions, cancellation)
                    ?? throw new InputException($"The export at {status} completed with an empty manifest."), polls);
            if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.TooManyRequests))
                throw new InputException($"The export failed ({status}): {await DescribeAsync(response, cancellation)}");
            var progressText = response.Headers.TryGetValues("X-Progress", out var values) ? string.Join(" ", values) : "in progress";
            progress?.Report(new ProgressUpdate($"export {progressText}", polls, 0, "polls"));
            await Task.Delay(WaitBeforeNextPoll(response.Headers.RetryAfter), cancellation);
        }
    }

    /// <summary>What <c>Retry-After</c> asks (seconds or an HTTP date), within the longest wait; the default when absent.</summary>
    private TimeSpan WaitBeforeNextPoll(RetryConditionHeaderValue? retryAfter)
    {
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : DefaultPollInterval);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestPollInterval ? LongestPollInterval : wait;
    }

    private async Task DownloadAsync(Uri url, string path, bool requiresToken, CancellationToken cancellation)
    {
        using var request = Request(HttpMethod.Get, url, "application/fhir+ndjson", withToken: requiresToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
            throw new InputException($"An export file could not be fetched ({url}): {await DescribeAsync(response, cancellation)}");
        await using var file = File.Create(path);
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        await body.CopyToAsync(file, cancellation);
    }

    /// <summary>The export is complete and saved: ask the server to delete its files (Bulk Data status DELETE); a refusal changes nothing here.</summary>
    private async Task DeleteQuietlyAsync(Uri status)
    {
        using var request = Request(HttpMethod.Delete, status, "application/json", withToken: true);
        try
        {
            using var _ = await http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The files are saved; a server that cannot delete them now will expire them.
        }
    }

    private HttpRequestMessage Request(HttpMethod method, Uri url, string accept, bool withToken)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd(accept);
        if (withToken && bearerToken is { Length: > 0 })
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return request;
    }

    /// <summary>The status and what the server said: the OperationOutcome's diagnostics or text when there is one.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var body = await response.Content.ReadAsStringAsync(cancellation);
        var said = body;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("issue", out var issues) && issues.ValueKind == JsonValueKind.Array)
                said = string.Join("; ", issues.EnumerateArray().Select(i =>
                    i.TryGetProperty("diagnostics", out var d) ? d.GetString()
                    : i.TryGetProperty("details", out var details) && details.TryGetProperty("text", out var text) ? text.GetString()
                    : i.TryGetProperty("code", out var code) ? code.GetString() : null).OfType<string>());
        }
        catch (JsonException)
        {
            // Not JSON: the body itself is the best description.
        }
        said = said.Length > 300 ? said[..300] + "…" : said;
        return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(said.Length > 0 ? $": {said}" : "")}");
    }

    private static string SafeName(string type) => string.Concat(type.Where(char.IsAsciiLetterOrDigit));

    private sealed record Manifest(bool RequiresAccessToken, List<ManifestOutput>? Output, List<ManifestOutput>? Error);

    private sealed record ManifestOutput(string Type, string Url, long? Count);
}
