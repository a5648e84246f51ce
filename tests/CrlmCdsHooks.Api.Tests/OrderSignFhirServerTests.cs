using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// The order-sign service against the real test FHIR server: every example with and without prefetch. On a host with the
/// recovery tests' longer hook deadline, so a loaded machine does not turn a slow read into an incomplete card.
/// </summary>
[Collection(nameof(FhirServerFixture))]
public class OrderSignFhirServerTests(FhirServerFixture fhir, RecoveryServiceHost service) : IClassFixture<RecoveryServiceHost>
{
    public static TheoryData<string> Requests => new(Directory.GetFiles(Examples.Directory, "*.order-sign.json")
        .Select(f => Path.GetFileName(f)[..^".order-sign.json".Length]).Order());

    private async Task<JsonNode> CardsAsync(string request)
    {
        var (response, body) = await service.PostAsync(OrderSignTests.OrderSignPath, request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body?.ToJsonString()}");
        return body!["cards"]!;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Without_prefetch_each_example_gets_the_same_cards_as_with_full_prefetch(string example)
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);
        var prefetched = await CardsAsync(Examples.OrderSign(example));
        Assert.NotEmpty(prefetched.AsArray());

        var fetched = await CardsAsync(FhirServerTests.WithServer(JsonNode.Parse(Examples.OrderSign(example))!.AsObject(), proxy.BaseUrl));

        Assert.Equal(CdsHooksWire.Readable(prefetched), CdsHooksWire.Readable(fetched));
        Assert.Equal(3, proxy.Requests.Distinct().Count());
    }

    [Fact]
    public async Task With_partial_prefetch_only_the_missing_keys_are_read()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);

        var fetched = await CardsAsync(FhirServerTests.WithServer(JsonNode.Parse(Examples.OrderSign("crlm-high-risk"))!.AsObject(), proxy.BaseUrl, "conditions", "observations"));

        Assert.Equal(CdsHooksWire.Readable(await CardsAsync(Examples.OrderSign("crlm-high-risk"))), CdsHooksWire.Readable(fetched));
        Assert.NotEmpty(proxy.Requests);
        Assert.All(proxy.Requests, r => Assert.StartsWith("/Procedure?", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_order_that_is_not_a_liver_resection_or_ablation_reads_nothing_from_the_fhir_server()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);
        var request = OrderSignTests.OrderSignFor("crlm-high-risk", OrderSignTests.Order("crlm-high-risk", "http://www.ama-assn.org/go/cpt", "45378"));

        var cards = await CardsAsync(FhirServerTests.WithServer(request, proxy.BaseUrl));

        Assert.Empty(cards.AsArray());
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task An_order_for_another_patient_is_400_before_any_fetch()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);
        var request = OrderSignTests.OrderSignFor("crlm-high-risk", OrderSignTests.PercutaneousRfa("crlm-low-risk"));

        var (response, body) = await service.PostAsync(OrderSignTests.OrderSignPath, FhirServerTests.WithServer(request, proxy.BaseUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("order for another patient", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task A_server_that_cannot_be_read_gives_the_same_incomplete_card_as_patient_view()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (request, _) =>
            request.Path.Value!.EndsWith("/Procedure", StringComparison.Ordinal) ? FaultProxy.Body("""{"resourceType":"Bundle","entry":[{"resource":""") : null);

        var card = Assert.Single((await CardsAsync(FhirServerTests.WithServer(JsonNode.Parse(Examples.OrderSign("crlm-high-risk"))!.AsObject(), proxy.BaseUrl))).AsArray())!;

        Assert.Contains("could not read procedures", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Equal("warning", (string)card["indicator"]!);
        Assert.DoesNotContain("High risk", (string)card["detail"]!, StringComparison.Ordinal);
    }
}
