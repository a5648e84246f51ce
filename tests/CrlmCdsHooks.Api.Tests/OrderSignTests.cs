using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>The order-sign service over real HTTP: the example requests, the draft orders it acts on, and the ones it refuses.</summary>
[Collection(nameof(ServiceHost))]
public class OrderSignTests(ServiceHost service)
{
    public const string OrderSignPath = "/cds-services/crlm-local-treatment-liu2021";

    /// <summary>A draft order for the patient, coded as given.</summary>
    internal static JsonObject Order(string patientId, string system, string code, string status = "draft") => JsonNode.Parse($$$"""
        {"resourceType":"ServiceRequest","id":"order-under-test","status":"{{{status}}}","intent":"order",
         "code":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]},"subject":{"reference":"Patient/{{{patientId}}}"}}
        """)!.AsObject();

    internal static JsonObject PercutaneousRfa(string patientId) => Order(patientId, "http://www.ama-assn.org/go/cpt", "47382");

    /// <summary>The patient-view example turned into an order-sign request signing the given entries.</summary>
    internal static JsonObject OrderSignFor(string example, params JsonNode?[] resources)
    {
        var hook = Examples.HookJson(example);
        hook["hook"] = "order-sign";
        hook["context"]!["draftOrders"] = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r })]),
        };
        return hook;
    }

    private async Task<JsonArray> CardsAsync(string path, string body)
    {
        var (response, json) = await service.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        CdsHooksWire.AssertNoEmptyValues(json);
        var cards = json!["cards"]!.AsArray();
        foreach (var card in cards)
            CdsHooksWire.AssertValidCard(card!);
        return cards;
    }

    private async Task AssertRefusedAsync(JsonObject request, string named)
    {
        var (response, body) = await service.PostAsync(OrderSignPath, request.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("OperationOutcome", (string)body!["resourceType"]!);
        Assert.Contains(named, (string)body["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task High_risk_repeat_hepatectomy_gets_a_warning_saying_local_treatment_showed_no_significant_benefit()
    {
        var card = Assert.Single(await CardsAsync(OrderSignPath, Examples.OrderSign("crlm-high-risk")))!;

        Assert.Equal("warning", (string)card["indicator"]!);
        Assert.StartsWith("High risk (Liu 2021, reconstructed)", (string)card["summary"]!, StringComparison.Ordinal);
        var detail = (string)card["detail"]!;
        Assert.StartsWith("**A liver resection is being ordered.** In the model's high-risk group, local treatment showed no significant survival benefit", detail, StringComparison.Ordinal);
        Assert.Contains("p = 0.126", detail, StringComparison.Ordinal);
        Assert.Contains("points reconstructed from the paper's hazard ratios", detail, StringComparison.Ordinal);
        Assert.Equal("smart", (string)card["links"]![0]!["type"]!);
        Assert.Contains("mdt-decision", card["overrideReasons"]!.AsArray().Select(r => (string)r!["code"]!));

        // The suggestion drafts the MDT review for this patient; accepting it is the clinician's choice, not preselected.
        Assert.Equal("any", (string)card["selectionBehavior"]!);
        var suggestion = Assert.Single(card["suggestions"]!.AsArray())!;
        Assert.Equal("Request a multidisciplinary team review first", (string)suggestion["label"]!);
        Assert.True(Guid.TryParse((string?)suggestion["uuid"], out _));
        Assert.Null(suggestion["isRecommended"]);
        var action = Assert.Single(suggestion["actions"]!.AsArray())!;
        Assert.Equal("create", (string)action["type"]!);
        var order = action["resource"]!;
        Assert.Equal("ServiceRequest", (string)order["resourceType"]!);
        Assert.Equal("draft", (string)order["status"]!);
        Assert.Equal("Patient/crlm-high-risk", (string)order["subject"]!["reference"]!);
        Assert.StartsWith("Multidisciplinary team review", (string)order["code"]!["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Low_risk_ablation_of_a_25_mm_lesion_gets_the_low_risk_info_card_with_the_mdt_condition_and_no_size_warning()
    {
        var card = Assert.Single(await CardsAsync(OrderSignPath, Examples.OrderSign("crlm-low-risk")))!;

        Assert.Equal("info", (string)card["indicator"]!);
        Assert.Contains("if the MDT confirms resectable", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.StartsWith("**A liver ablation is being ordered.** The patient is in the model's low-risk group", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.Contains("provided the MDT confirms the recurrence is technically resectable or ablatable", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.Null(card["suggestions"]);
        Assert.NotEmpty(card["overrideReasons"]!.AsArray());
    }

    [Fact]
    public async Task An_ablation_for_a_42_mm_lesion_adds_a_warning_citing_the_papers_3_cm_practice()
    {
        var cards = await CardsAsync(OrderSignPath, Examples.OrderSign("crlm-high-risk-ablation"));

        Assert.Equal(2, cards.Count);
        Assert.StartsWith("**A liver ablation is being ordered.**", (string)cards[0]!["detail"]!, StringComparison.Ordinal);
        var ablation = cards[1]!;
        Assert.Equal("warning", (string)ablation["indicator"]!);
        Assert.Equal("Ablation ordered for a liver lesion over 30 mm: RFA was contraindicated above 3 cm in Liu 2021's practice", (string)ablation["summary"]!);
        var detail = (string)ablation["detail"]!;
        Assert.Contains("largest recurrent liver lesion 42 mm", detail, StringComparison.Ordinal);
        Assert.Contains("RFA was contraindicated when the largest tumour exceeded 3 cm", detail, StringComparison.Ordinal);
        Assert.Contains("not a rule the model validated", detail, StringComparison.Ordinal);
        Assert.Contains("docs/clinical-model.md", detail, StringComparison.Ordinal);
        Assert.Equal(cards[0]!["source"]!.ToJsonString(), ablation["source"]!.ToJsonString());
        Assert.NotEmpty(ablation["overrideReasons"]!.AsArray());
        Assert.Null(ablation["suggestions"]);
        Assert.DoesNotContain("SPEC", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("47382", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ablation_for_a_lesion_of_exactly_30_mm_gets_no_size_warning()
    {
        var cards = await CardsAsync(OrderSignPath, OrderSignFor("crlm-boundary-low", PercutaneousRfa("crlm-boundary-low")).ToJsonString());

        var card = Assert.Single(cards)!;
        Assert.Contains("Low risk", (string)card["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ablation_when_no_lesion_size_is_recorded_warns_that_the_size_must_be_confirmed()
    {
        var request = OrderSignFor("crlm-low-risk", PercutaneousRfa("crlm-low-risk"));
        var observations = request["prefetch"]!["observations"]!["entry"]!.AsArray();
        foreach (var size in observations.Where(e => e!["resource"]!["code"]!.ToJsonString().Contains("21889-1", StringComparison.Ordinal)).ToList())
            observations.Remove(size);
        request["prefetch"]!["observations"]!["total"] = observations.Count; // the whole search, not part of it

        var cards = await CardsAsync(OrderSignPath, request.ToJsonString());

        Assert.Equal(2, cards.Count);
        Assert.Contains("Low risk", (string)cards[0]!["summary"]!, StringComparison.Ordinal);
        Assert.Equal("Ablation ordered, largest liver lesion size not on record: Liu 2021 contraindicated RFA above 3 cm", (string)cards[1]!["summary"]!);
        Assert.Equal("warning", (string)cards[1]!["indicator"]!);
    }

    [Theory]
    [InlineData("crlm-indeterminate-ras")]
    [InlineData("crlm-not-applicable-extrahepatic")]
    [InlineData("crlm-already-treated")]
    [InlineData("no-crlm")]
    public async Task Not_applicable_indeterminate_already_treated_and_no_crlm_answer_a_liver_resection_as_patient_view_does(string example)
    {
        var patientView = await CardsAsync(ServiceHost.HookPath, Examples.Hook(example));

        var orderSign = await CardsAsync(OrderSignPath, OrderSignFor(example, Order(example, "http://snomed.info/sct", "107963000")).ToJsonString());

        Assert.Equal(CdsHooksWire.Readable(patientView), CdsHooksWire.Readable(orderSign));
    }

    [Fact]
    public async Task Review_items_keep_the_patient_view_warning_and_check_first_summary_under_the_order_line()
    {
        var patientView = Assert.Single(await CardsAsync(ServiceHost.HookPath, Examples.Hook("crlm-review-other-cancer")))!;

        var card = Assert.Single(await CardsAsync(OrderSignPath, OrderSignFor("crlm-review-other-cancer", PercutaneousRfa("crlm-review-other-cancer")).ToJsonString()))!;

        Assert.Equal("warning", (string)card["indicator"]!);
        Assert.Equal((string)patientView["summary"]!, (string)card["summary"]!);
        Assert.StartsWith("Check the data first (1 item): Low risk", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.EndsWith((string)patientView["detail"]!, (string)card["detail"]!, StringComparison.Ordinal);
        Assert.StartsWith("**A liver ablation is being ordered.**", (string)card["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://www.ama-assn.org/go/cpt", "45378", "draft")] // colonoscopy
    [InlineData("http://www.ama-assn.org/go/cpt", "47000", "draft")] // liver biopsy: never a resection
    [InlineData("http://www.ama-assn.org/go/cpt", "47120", "active")] // already signed: not an order being signed
    [InlineData("http://www.ama-assn.org/go/cpt", "47382", "completed")]
    public async Task An_order_that_is_not_a_draft_liver_resection_or_ablation_gets_no_card(string system, string code, string status)
    {
        var request = OrderSignFor("crlm-high-risk", Order("crlm-high-risk", system, code, status),
            JsonNode.Parse("""{"resourceType":"MedicationRequest","status":"draft","intent":"order","medicationCodeableConcept":{"text":"oxaliplatin"},"subject":{"reference":"Patient/crlm-high-risk"}}"""));

        var cards = await CardsAsync(OrderSignPath, request.ToJsonString());

        Assert.Empty(cards);
    }

    [Fact]
    public async Task A_liver_order_coded_in_icd10_pcs_among_other_orders_is_found()
    {
        var request = OrderSignFor("crlm-high-risk",
            JsonNode.Parse("""{"resourceType":"MedicationRequest","status":"draft","intent":"order","medicationCodeableConcept":{"text":"oxaliplatin"},"subject":{"reference":"Patient/crlm-high-risk"}}"""),
            Order("crlm-high-risk", "urn:oid:2.16.840.1.113883.6.4", "0FT00ZZ"));

        var card = Assert.Single(await CardsAsync(OrderSignPath, request.ToJsonString()))!;

        Assert.Equal("warning", (string)card["indicator"]!);
        Assert.StartsWith("**A liver resection is being ordered.**", (string)card["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_for_another_patient_is_400()
    {
        await AssertRefusedAsync(OrderSignFor("crlm-high-risk", PercutaneousRfa("crlm-low-risk")), "entry 1 (ServiceRequest) is an order for another patient");
    }

    [Fact]
    public async Task An_order_for_another_patient_is_400_even_beside_a_valid_order_and_when_not_a_draft()
    {
        await AssertRefusedAsync(OrderSignFor("crlm-high-risk", PercutaneousRfa("crlm-high-risk"), Order("someone-else", "http://www.ama-assn.org/go/cpt", "45378", "active")),
            "entry 2 (ServiceRequest) is an order for another patient");
    }

    public static TheoryData<string, string> MalformedDraftOrders => new()
    {
        { """{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:1"}]}""", "entry 1 holds no FHIR resource" },
        { """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"NotAResource"}}]}""", "entry 1 holds no readable FHIR resource: 'NotAResource' is not a FHIR R4 resource type" },
        { """{"resourceType":"Bundle","type":"collection","entry":{"resource":{}}}""", "must be a readable FHIR Bundle" },
        { """{"resourceType":"ServiceRequest","status":"draft","intent":"order","subject":{"reference":"Patient/crlm-high-risk"}}""", "it is a ServiceRequest" },
        { """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"ServiceRequest","intent":"order","subject":{"reference":"Patient/crlm-high-risk"}}}]}""", "entry 1 (ServiceRequest) has no readable status" },
        { """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"ServiceRequest","status":"signed-ish","intent":"order","subject":{"reference":"Patient/crlm-high-risk"}}}]}""", "entry 1 (ServiceRequest) has no readable status" },
        { """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"ServiceRequest","status":"draft","intent":"order"}}]}""", "entry 1 (ServiceRequest) names no patient" },
        { "\"a string\"", "'context.draftOrders', a FHIR Bundle" },
    };

    [Theory]
    [MemberData(nameof(MalformedDraftOrders))]
    public async Task Malformed_draft_orders_are_400_with_an_operation_outcome_naming_the_problem(string draftOrders, string named)
    {
        var request = OrderSignFor("crlm-high-risk");
        request["context"]!["draftOrders"] = JsonNode.Parse(draftOrders);

        await AssertRefusedAsync(request, named);
    }

    [Fact]
    public async Task A_request_without_draft_orders_is_400()
    {
        var request = OrderSignFor("crlm-high-risk");
        request["context"]!.AsObject().Remove("draftOrders");

        await AssertRefusedAsync(request, "order-sign needs 'context.draftOrders'");
    }

    [Fact]
    public async Task Each_service_refuses_the_other_services_hook_with_400()
    {
        await AssertRefusedAsync(Examples.HookJson("crlm-high-risk"), "answers the 'order-sign' hook, not 'patient-view'");

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Examples.OrderSign("crlm-high-risk"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("answers the 'patient-view' hook, not 'order-sign'", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_service_is_404_naming_both_services()
    {
        var (response, body) = await service.PostAsync("/cds-services/no-such-service", Examples.OrderSign("crlm-high-risk"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'crlm-recurrence-liu2021', 'crlm-local-treatment-liu2021'", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_lists_both_services_with_the_same_prefetch()
    {
        var discovery = await service.GetJsonAsync("/cds-services");

        CdsHooksWire.AssertNoEmptyValues(discovery);
        var services = discovery["services"]!.AsArray();
        Assert.Equal(["crlm-recurrence-liu2021:patient-view", "crlm-local-treatment-liu2021:order-sign"],
            services.Select(s => $"{(string)s!["id"]!}:{(string)s["hook"]!}"));
        Assert.Equal(services[0]!["prefetch"]!.ToJsonString(), services[1]!["prefetch"]!.ToJsonString());
        Assert.All(services, s => Assert.False(string.IsNullOrWhiteSpace((string?)s!["description"])));
    }

    [Theory]
    [InlineData("/cds-services/crlm-local-treatment-liu2021/feedback", HttpStatusCode.OK)]
    [InlineData("/cds-services/crlm-recurrence-liu2021/feedback", HttpStatusCode.OK)]
    [InlineData("/cds-services/no-such-service/feedback", HttpStatusCode.NotFound)]
    public async Task Feedback_is_routed_by_service_id(string path, HttpStatusCode expected)
    {
        var (response, _) = await service.PostAsync(path, $$"""{"feedback":[{"card":"{{Guid.NewGuid()}}","outcome":"overridden","outcomeTimestamp":"2026-11-23T21:00:00Z"}]}""");

        Assert.Equal(expected, response.StatusCode);
    }
}
