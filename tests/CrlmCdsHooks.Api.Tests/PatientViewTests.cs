using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>The patient-view service over real HTTP, for every example patient.</summary>
[Collection(nameof(ServiceHost))]
public class PatientViewTests(ServiceHost service)
{
    [Theory]
    [InlineData("crlm-low-risk", "Low risk", "info", "**0.00**")]
    [InlineData("crlm-high-risk", "High risk", "warning", "**18.71**")]
    [InlineData("crlm-boundary-low", "Low risk", "info", "**9.34**")]
    [InlineData("crlm-boundary-high", "High risk", "warning", "**13.25**")]
    [InlineData("crlm-indeterminate-ras", "risk group undetermined", "info", "**10.18 to 14.06**")]
    [InlineData("crlm-ras-unknown-low", "Low risk", "info", "**4.65 to 8.53**")]
    [InlineData("crlm-not-applicable-extrahepatic", "not applicable", "info", "extrahepatic")]
    public async Task Each_example_patient_gets_the_card_the_spec_demands(string example, string riskWords, string indicator, string inDetail)
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook(example));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = Assert.Single(body!["cards"]!.AsArray())!;
        CdsHooksWire.AssertValidCard(card);
        CdsHooksWire.AssertNoEmptyValues(body);
        Assert.Contains(riskWords, (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Equal(indicator, (string)card["indicator"]!);
        var detail = (string)card["detail"]!;
        Assert.Contains(inDetail, detail, StringComparison.Ordinal);
        Assert.Contains("Reconstructed", detail, StringComparison.Ordinal);
        Assert.Contains("not a validated cut-off", detail, StringComparison.Ordinal);
        Assert.Contains("C-index 0.707", detail, StringComparison.Ordinal);
        Assert.Equal("https://doi.org/10.1186/s12893-021-01323-y", (string)card["source"]!["url"]!);
    }

    [Theory]
    [InlineData("crlm-low-risk", "repeat hepatectomy or RFA")]
    [InlineData("crlm-high-risk", "systemic therapy first")]
    [InlineData("crlm-indeterminate-ras", "KRAS/NRAS")]
    public async Task The_summary_states_the_recommendation(string example, string recommendation)
    {
        var (_, body) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook(example));

        Assert.Contains(recommendation, (string)body!["cards"]![0]!["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_detail_shows_each_factor_with_its_value_points_and_source_date()
    {
        var (_, body) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"));

        var detail = (string)body!["cards"]![0]!["detail"]!;
        Assert.Contains("| Node-positive primary (N1-N2) | yes: pN1 category (finding) | 5.46 | Observation/crlm-high-risk-pn (2022-10-05) |", detail, StringComparison.Ordinal);
        Assert.Contains("| yes: largest recurrent liver lesion 42 mm | 4.72 | Observation/crlm-high-risk-recurrence-size-1 (2023-06-28) |", detail, StringComparison.Ordinal);
        Assert.Contains("| RAS (KRAS or NRAS) mutation | yes: KRAS mutation present | 3.88 | Observation/crlm-high-risk-kras (2022-10-20) |", detail, StringComparison.Ordinal);
        Assert.Contains("| Total without local treatment (context) | | 28.71 | |", detail, StringComparison.Ordinal);
        Assert.Contains("p = 0.126", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patient_with_no_colorectal_cancer_or_liver_metastasis_gets_no_card()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("no-crlm"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"cards":[]}""", body!.ToJsonString());
    }

    [Fact]
    public async Task Discovery_lists_one_patient_view_service_with_code_filtered_prefetch()
    {
        var discovery = await service.GetJsonAsync("/cds-services");

        CdsHooksWire.AssertNoEmptyValues(discovery);
        var descriptor = Assert.Single(discovery["services"]!.AsArray())!;
        Assert.Equal("patient-view", (string)descriptor["hook"]!);
        Assert.Equal("crlm-recurrence-liu2021", (string)descriptor["id"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)descriptor["title"]));
        var prefetch = descriptor["prefetch"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.Equal(["conditions", "observations", "patient", "procedures"], prefetch.Keys.Order());
        Assert.Equal("Patient/{{context.patientId}}", prefetch["patient"]);
        foreach (var (type, key) in new[] { ("Condition", "conditions"), ("Observation", "observations"), ("Procedure", "procedures") })
            Assert.StartsWith($"{type}?patient=Patient/{{{{context.patientId}}}}&code=", prefetch[key], StringComparison.Ordinal);
        Assert.Contains("http://loinc.org|69548-6", prefetch["observations"], StringComparison.Ordinal);
        Assert.Contains("http://snomed.info/sct|94381002", prefetch["conditions"], StringComparison.Ordinal);
        Assert.Contains("http://snomed.info/sct|107963000", prefetch["procedures"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefetch_search_holding_an_operation_outcome_entry_is_reported_in_the_card_not_a_crash()
    {
        var hook = Examples.HookJson("crlm-low-risk");
        hook["prefetch"]!["observations"]!["entry"]!.AsArray().Add(JsonNode.Parse(
            """{"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"incomplete","diagnostics":"Some results withheld"}]},"search":{"mode":"outcome"}}"""));

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Some results withheld", (string)body!["cards"]![0]!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_entry_in_a_prefetch_bundle_is_skipped_with_a_warning_and_the_rest_is_used()
    {
        var hook = Examples.HookJson("crlm-high-risk");
        hook["prefetch"]!["observations"]!["entry"]!.AsArray().Add(JsonNode.Parse(
            """{"resource":{"resourceType":"Observation","id":"broken","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2039-6"}]},"valueQuantity":{"value":"not a number","code":"ng/mL"},"unknownElement":true}}"""));

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = body!["cards"]![0]!;
        Assert.StartsWith("High risk", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Contains("Observation/broken: not used, it holds an invalid element", (string)card["detail"]!, StringComparison.Ordinal);
    }
}
