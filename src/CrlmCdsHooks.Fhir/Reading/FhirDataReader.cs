using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CrlmCdsHooks.Fhir;

/// <summary>What one prefetch key's query gave: resources, or why it could not be read.</summary>
/// <param name="Failure">Null when read in full; otherwise why not, in words (no token, no patient data).</param>
/// <param name="Requests">HTTP requests the query took, pages included, retries not.</param>
public sealed record FetchResult(string Key, IReadOnlyList<SourcedResource> Resources, string? Failure, int Requests)
{
    /// <summary>Entries of the answer that held no readable resource and were skipped, in words.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}

/// <summary>
/// Reads the prefetch keys an EHR did not send from its FHIR server: one code-filtered query per key, all in parallel,
/// through the resilient <see cref="HttpClientName"/> client (per-attempt timeout, retries of GETs honouring Retry-After,
/// a circuit breaker per server). A key that fails reports why instead of throwing.
/// </summary>
public sealed class FhirDataReader(IHttpClientFactory httpClients, PrefetchQueries queries, IOptions<FhirDataOptions> options)
{
    /// <summary>Name of the resilient HttpClient registered for FHIR servers.</summary>
    public const string HttpClientName = "fhir-server";

    private static readonly MediaTypeWithQualityHeaderValue FhirJsonMediaType = new("application/fhir+json");

    /// <summary>Reads the given keys for one patient, in parallel; cancelled queries report the deadline.</summary>
    /// <param name="bearerToken">The EHR's access token for its FHIR server, if any. Sent only to <paramref name="fhirServer"/>, never logged.</param>
    public async Task<IReadOnlyList<FetchResult>> ReadAsync(Uri fhirServer, string? bearerToken, string patientId,
        IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var patientQueries = queries.For(patientId);
        return await Task.WhenAll(keys.Select(key =>
            ReadKeyAsync(fhirServer, bearerToken, key, patientQueries[key], cancellationToken)));
    }

    /// <summary>
    /// Reads one query and its pages as JSON, handed to the mapper as it came (the same reading as prefetch). Pages are
    /// followed only on the same server: a next link elsewhere would carry the EHR's token to a host it did not name.
    /// </summary>
    private async Task<FetchResult> ReadKeyAsync(Uri fhirServer, string? bearerToken, string key, string query, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        if (bearerToken is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        http.DefaultRequestHeaders.Accept.Add(FhirJsonMediaType);
        var baseUrl = fhirServer.AbsoluteUri.TrimEnd('/');

        var resources = new List<SourcedResource>();
        var skipped = new List<string>();
        var requests = 0;
        try
        {
            var url = new Uri($"{baseUrl}/{query}");
            while (true)
            {
                requests++;
                var answer = await GetAsync(http, url, cancellationToken);
                if (answer.TypeName != "Bundle")
                {
                    resources.Add(answer);
                    return new FetchResult(key, resources, null, requests);
                }
                resources.AddRange(SearchBundle.Entries(answer.Resource, skipped).Where(r => r.TypeName != "OperationOutcome"));
                if (SearchBundle.NextLink(answer.Resource) is not { } next)
                    return new FetchResult(key, resources, null, requests) { Skipped = skipped };
                if (requests >= options.Value.MaxPages)
                    return new FetchResult(key, [], $"more than {options.Value.MaxPages} pages of {PrefetchQueries.PageSize} results; refused as a runaway search", requests);
                if (!Uri.TryCreate(next, UriKind.Absolute, out url) || !url.AbsoluteUri.StartsWith($"{baseUrl}/", StringComparison.Ordinal))
                    return new FetchResult(key, [], "the server's next page is not on the same server, so it was not followed", requests);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new FetchResult(key, [], "no answer within the hook's deadline", requests);
        }
        catch (Exception e) when (e is not OperationCanceledException || e is TimeoutRejectedException)
        {
            return new FetchResult(key, [], Describe(e), requests);
        }
    }

    private static async Task<SourcedResource> GetAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new FhirServerAnswerException($"the server answered {(int)response.StatusCode} {response.StatusCode}");
        // Buffered within the attempt by the client's pipeline; parsed once into JSON that outlives the response.
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return SourcedResource.Read(json, out var problem)
            ?? throw new FhirServerAnswerException($"the answer could not be read ({problem})");
    }

    private static string Describe(Exception e) => e switch
    {
        FhirServerAnswerException answer => answer.Message,
        InvalidFhirElementException invalid => $"the answer could not be read ({invalid.Message})",
        BrokenCircuitException => "the server failed repeatedly and is not being called for a while (circuit open)",
        TimeoutRejectedException => "the server did not answer in time",
        HttpRequestException http => $"the server could not be reached ({http.HttpRequestError})",
        _ => $"the answer could not be read ({e.GetType().Name})",
    };

    /// <summary>An answer the server gave that the service cannot use, in words.</summary>
    private sealed class FhirServerAnswerException(string message) : Exception(message);
}
