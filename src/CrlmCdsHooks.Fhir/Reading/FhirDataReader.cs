using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CrlmCdsHooks.Fhir;

/// <summary>What one prefetch key's query gave: resources, or why it could not be read.</summary>
/// <param name="Failure">Null when read in full; otherwise why not, in words (no token, no patient data).</param>
/// <param name="Requests">HTTP requests the query took, pages included, retries not.</param>
public sealed record FetchResult(string Key, IReadOnlyList<SourcedResource> Resources, string? Failure, int Requests);

/// <summary>
/// Reads the prefetch keys an EHR did not send from its FHIR server: one code-filtered query per key, all in parallel,
/// through the resilient <see cref="HttpClientName"/> client (per-attempt timeout, retries of GETs honouring Retry-After,
/// a circuit breaker per server). A key that fails reports why instead of throwing.
/// </summary>
public sealed class FhirDataReader(IHttpClientFactory httpClients, PrefetchQueries queries, IOptions<FhirDataOptions> options)
{
    /// <summary>Name of the resilient HttpClient registered for FHIR servers.</summary>
    public const string HttpClientName = "fhir-server";

    private static readonly FhirClientSettings Settings = new()
    {
        PreferredFormat = ResourceFormat.Json,
        VerifyFhirVersion = false,
        SerializationEngine = FhirSerializationEngineFactory.Recoverable(ModelInfo.ModelInspector),
    };

    /// <summary>Reads the given keys for one patient, in parallel; cancelled queries report the deadline.</summary>
    /// <param name="bearerToken">The EHR's access token for its FHIR server, if any. Sent only to <paramref name="fhirServer"/>, never logged.</param>
    public async Task<IReadOnlyList<FetchResult>> ReadAsync(Uri fhirServer, string? bearerToken, string patientId,
        IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var patientQueries = queries.For(patientId);
        return await System.Threading.Tasks.Task.WhenAll(keys.Select(key =>
            ReadKeyAsync(fhirServer, bearerToken, key, patientQueries[key], cancellationToken)));
    }

    private async Task<FetchResult> ReadKeyAsync(Uri fhirServer, string? bearerToken, string key, string query, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        if (bearerToken is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        using var client = new FhirClient(fhirServer, http, Settings);

        var resources = new List<SourcedResource>();
        var requests = 0;
        try
        {
            requests++;
            var first = await client.GetAsync(query, cancellationToken);
            if (first is not Bundle page)
            {
                if (first is not null)
                    resources.Add(SourcedResource.Of(first));
                return new FetchResult(key, resources, null, requests);
            }
            while (true)
            {
                resources.AddRange(SourcedResource.FromBundle(page).Where(r => r.Resource is not OperationOutcome));
                if (page.NextLink is null)
                    return new FetchResult(key, resources, null, requests);
                if (requests >= options.Value.MaxPages)
                    return new FetchResult(key, [], $"more than {options.Value.MaxPages} pages of {PrefetchQueries.PageSize} results; refused as a runaway search", requests);
                requests++;
                page = await client.ContinueAsync(page, PageDirection.Next, cancellationToken) ?? throw new InvalidOperationException("the next page was empty");
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

    private static string Describe(Exception e) => e switch
    {
        FhirOperationException fhir => $"the server answered {(int)fhir.Status} {fhir.Status}",
        BrokenCircuitException => "the server failed repeatedly and is not being called for a while (circuit open)",
        TimeoutRejectedException => "the server did not answer in time",
        HttpRequestException http => $"the server could not be reached ({http.HttpRequestError})",
        _ => $"the answer could not be read ({e.GetType().Name})",
    };
}
