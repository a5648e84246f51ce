using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// Every record of the realistic-record corpus through the service as an EHR meets it: the assessment API, the
/// patient-view hook with full prefetch, and the hook reading a real FHIR server (the Medplum test server, or
/// CRLM_FHIR_BASE_URL) without prefetch. The answer and the card must be the same each way.
/// </summary>
[Collection(nameof(CorpusServiceHost))]
public class CorpusHookTests(CorpusFhirServerFixture fhir, CorpusServiceHost service)
{
    public static TheoryData<string> Records => Corpus.Files;

    [Theory]
    [MemberData(nameof(Records))]
    public async Task The_assessment_api_reads_each_record_as_the_spec_requires(string file)
    {
        var record = Corpus.Record(file);

        var (response, body) = await service.PostAsync("/api/assessments", record.BundleJson(), "application/fhir+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        record.AssertAssessment(body!);
    }

    [Theory]
    [MemberData(nameof(Records))]
    public async Task The_hook_gives_the_expected_card_with_prefetch_and_the_same_card_reading_the_fhir_server(string file)
    {
        var record = Corpus.Record(file);

        var prefetched = await CardsAsync(record.HookJson(withPrefetch: true));
        var fetched = await CardsAsync(record.HookJson(withPrefetch: false, fhir.BaseUrl));

        record.AssertCards(prefetched);
        Assert.Equal(CdsHooksWire.Readable(prefetched["cards"]!), CdsHooksWire.Readable(fetched["cards"]!));
    }

    private async Task<JsonNode> CardsAsync(string hookJson)
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hookJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body!;
    }
}
