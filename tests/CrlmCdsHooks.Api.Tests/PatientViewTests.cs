using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>The patient-view service over real HTTP, for every example patient.</summary>
[Collection(nameof(ServiceHost))]
public class PatientViewTests(ServiceHost service)
{
    [Theory]
    // The indicator says how much the card needs checking, not how bad the prognosis is (SPEC 4, v2): a lesion within
    // 1 mm of 30 mm that decides the group, and an undetermined group, are warnings; the high-risk group alone is not.
    [InlineData("crlm-low-risk", "Low risk", "info", "total 0.00 assuming")]
    [InlineData("crlm-high-risk", "High risk", "info", "total 18.71 assuming")]
    [InlineData("crlm-boundary-low", "Low risk", "warning", "total 9.34 assuming")]
    [InlineData("crlm-boundary-high", "High risk", "warning", "total 13.25 assuming")]
    [InlineData("crlm-indeterminate-ras", "risk group undetermined", "warning", "between 10.2 and 14.1")]
    [InlineData("crlm-ras-unknown-low", "Low risk", "info", "total 4.65 to 8.53 assuming")]
    [InlineData("crlm-not-applicable-extrahepatic", "not applicable", "info", "Extrahepatic disease")]
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
        Assert.Contains("C-index 0.707", detail, StringComparison.Ordinal);
        Assert.Contains("does not replace, the MDT", detail, StringComparison.Ordinal);
        Assert.Equal("https://doi.org/10.1186/s12893-021-01323-y", (string)card["source"]!["url"]!);
        Assert.DoesNotContain("SPEC", detail, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\b(Condition|Observation|Procedure)/", detail);
        Assert.DoesNotMatch(@"\((finding|disorder|procedure)\)", detail);
        Assert.True(detail.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length < 450, "the card detail fits a card column");
        if (riskWords == "not applicable")
        {
            // No resectability wording when the model does not apply (SPEC 4, v2).
            Assert.DoesNotContain("resectab", detail, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("No extrahepatic disease recorded", detail, StringComparison.Ordinal);
        }
        else
        {
            // The reconstruction caveat sits beside the score, and liver-limited is an absence, not a finding.
            Assert.Contains("points reconstructed from the paper's hazard ratios; the cut-off of 13.00 on this scale is an interpretation", detail.Split('\n')[0], StringComparison.Ordinal);
            Assert.Contains("No extrahepatic disease recorded: confirm with current staging imaging (CT of chest, abdomen and pelvis; liver MRI).", detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("crlm-low-risk", "local treatment linked to longer survival if the MDT confirms resectable")]
    [InlineData("crlm-high-risk", "local treatment showed no clear survival benefit; discuss at MDT")]
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
        // The source column names the kind of record and its date, never a FHIR id; SNOMED semantic tags are stripped.
        Assert.Contains("| Node-positive primary (N1-N2) | yes: pN1 category | 5.46 | pathology report, 2022-10-05 |", detail, StringComparison.Ordinal);
        Assert.Contains("| yes: largest recurrent liver lesion 42 mm | 4.72 | imaging report, 2023-06-28 |", detail, StringComparison.Ordinal);
        Assert.Contains("| RAS (KRAS or NRAS) mutation | yes: KRAS mutation present | 3.88 | molecular result, 2022-10-20 |", detail, StringComparison.Ordinal);
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
    public async Task Discovery_lists_one_patient_view_service_reading_whole_conditions_and_procedures_and_code_filtered_observations()
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
        Assert.Equal("Condition?patient=Patient/{{context.patientId}}&_count=100", prefetch["conditions"]);
        Assert.Equal("Procedure?patient=Patient/{{context.patientId}}&_count=100", prefetch["procedures"]);
        Assert.StartsWith("Observation?patient=Patient/{{context.patientId}}&code=", prefetch["observations"], StringComparison.Ordinal);
        Assert.Contains("69548-6", prefetch["observations"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefetch_search_holding_an_operation_outcome_entry_is_reported_in_the_card_not_a_crash()
    {
        var hook = Examples.HookJson("crlm-low-risk");
        hook["prefetch"]!["observations"]!["entry"]!.AsArray().Add(JsonNode.Parse(
            """{"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"incomplete","diagnostics":"Some results withheld"}]},"search":{"mode":"outcome"}}"""));

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = body!["cards"]![0]!;
        Assert.Contains("Some results withheld", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.Equal("warning", (string)card["indicator"]!); // withheld data could change the answer
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
        Assert.StartsWith("Check the data first (1 item): High risk", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Contains("a record that could not be read (Observation): it holds an invalid element", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("Observation/broken", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.Equal("warning", (string)card["indicator"]!);
    }

    [Fact]
    public async Task Text_from_the_record_reaches_the_card_as_words_not_markup()
    {
        var hook = Examples.HookJson("crlm-low-risk");
        hook["prefetch"]!["conditions"]!["entry"]!.AsArray().Add(JsonNode.Parse(
            """{"resource":{"resourceType":"Condition","id":"hostile","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"subject":{"reference":"Patient/crlm-low-risk"},"onsetDateTime":"2023-05-01","code":{"text":"# Low risk: no MDT needed\n![pixel](https://tracker.example/p.png) <iframe src=x></iframe> [click](https://x.example) malignant tumour"}}}"""));

        var (_, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        var detail = (string)body!["cards"]![0]!["detail"]!;
        Assert.Contains("\\# Low risk: no MDT needed \\!\\[pixel\\](https\\://tracker.example/p.png) \\<iframe src=x\\>\\</iframe\\> \\[click\\](https\\://x.example) malignant tumour", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("\n# Low risk", detail, StringComparison.Ordinal);
        // No markup character from the record stands unescaped.
        Assert.DoesNotMatch(@"(?<!\\)!(?<!\\)\[pixel", detail);
        Assert.DoesNotMatch(@"(?<!\\)<iframe", detail);
    }
}
