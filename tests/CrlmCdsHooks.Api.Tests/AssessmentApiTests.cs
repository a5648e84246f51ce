using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>POST /api/assessments: the whole assessment from a Bundle of one patient's resources.</summary>
[Collection(nameof(ServiceHost))]
public class AssessmentApiTests(ServiceHost service)
{
    [Theory]
    [InlineData("crlm-low-risk", "low", "0.00", "local-treatment")]
    [InlineData("crlm-high-risk", "high", "18.71", "systemic-therapy-first")]
    [InlineData("crlm-boundary-low", "low", "9.34", "local-treatment")]
    [InlineData("crlm-boundary-high", "high", "13.25", "systemic-therapy-first")]
    [InlineData("crlm-indeterminate-ras", "indeterminate", null, "complete-data")]
    [InlineData("crlm-ras-unknown-low", "low", null, "local-treatment")]
    [InlineData("crlm-not-applicable-extrahepatic", "not-applicable", null, "not-assessed")]
    [InlineData("no-crlm", "no-crlm", null, "not-assessed")]
    public async Task Each_example_bundle_is_assessed(string example, string riskGroup, string? score, string recommendation)
    {
        var (response, body) = await service.PostAsync("/api/assessments", Examples.Bundle(example), "application/fhir+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(riskGroup, (string)body!["riskGroup"]!);
        Assert.Equal(score is null ? null : decimal.Parse(score), (decimal?)body["score"]);
        Assert.Equal(recommendation, (string)body["recommendation"]!["kind"]!);
        Assert.Equal("liu-2021", (string)body["model"]!["id"]!);
        Assert.Equal("1.0.0", (string)body["model"]!["version"]!);
    }

    [Fact]
    public async Task The_result_carries_every_factor_with_points_and_evidence_and_the_supporting_scores()
    {
        var (_, body) = await service.PostAsync("/api/assessments", Examples.Bundle("crlm-indeterminate-ras"), "application/fhir+json");

        var factors = body!["factors"]!.AsArray();
        Assert.Equal(["node-positive-primary", "largest-lesion-over-3cm", "early-recurrence", "ras-mutation"], factors.Select(f => (string)f!["id"]!));
        var ras = factors[3]!;
        Assert.Null((bool?)ras["present"]);
        Assert.Null((decimal?)ras["points"]);
        Assert.Equal("Observation/crlm-indeterminate-ras-pn", (string)factors[0]!["evidence"]![0]!["reference"]!);
        Assert.Equal("2022-10-05", (string)factors[0]!["evidence"]![0]!["date"]!);
        var missing = Assert.Single(body["missing"]!.AsArray())!;
        Assert.True((bool)missing["changesRiskGroup"]!);
        Assert.Equal(10.18m, (decimal)body["scoreRange"]!["min"]!);
        Assert.Equal(14.06m, (decimal)body["scoreRange"]!["max"]!);
        Assert.Null((decimal?)body["scoreWithoutLocalTreatment"]);
        Assert.Equal("low", (string)body["supportingScores"]!["fong"]!["group"]!);
        Assert.Equal("resectable", (string)body["supportingScores"]!["kobayashi"]!["reading"]!);
        Assert.Empty(body["notApplicableReasons"]!.AsArray());
    }

    [Fact]
    public async Task A_body_that_is_not_a_bundle_is_400()
    {
        var (response, body) = await service.PostAsync("/api/assessments", """{"resourceType":"Patient","id":"x"}""", "application/fhir+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bundle", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_of_two_patients_is_400()
    {
        var bundle = JsonNode.Parse(Examples.Bundle("crlm-low-risk"))!;
        var other = JsonNode.Parse(Examples.Bundle("crlm-high-risk"))!;
        foreach (var entry in other["entry"]!.AsArray().ToList())
        {
            other["entry"]!.AsArray().Remove(entry);
            bundle["entry"]!.AsArray().Add(entry);
        }

        var (response, body) = await service.PostAsync("/api/assessments", bundle.ToJsonString(), "application/fhir+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2 patients", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ras-mutation:present", "high", "14.06")]
    [InlineData("ras-mutation:absent", "low", "10.18")]
    public async Task A_what_if_assumption_is_scored_by_the_engine_and_marked(string assume, string riskGroup, string score)
    {
        var (response, body) = await service.PostAsync($"/api/assessments?assume={assume}", Examples.Bundle("crlm-indeterminate-ras"), "application/fhir+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(riskGroup, (string)body!["riskGroup"]!);
        Assert.Equal(decimal.Parse(score), (decimal)body["score"]!);
        Assert.Equal(["ras-mutation"], body["assumptions"]!.AsArray().Select(a => (string)a!));
        Assert.True((bool)body["factors"]![3]!["assumed"]!);
        Assert.False((bool)body["factors"]![0]!["assumed"]!);
    }

    [Theory]
    [InlineData("ras-mutation:maybe", "not understood")]
    [InlineData("no-such-factor:present", "not understood")]
    [InlineData("ras-mutation", "not understood")]
    [InlineData("ras-mutation:present&assume=ras-mutation:absent", "more than once")]
    public async Task A_bad_what_if_is_400_and_names_the_problem(string assume, string expected)
    {
        var (response, body) = await service.PostAsync($"/api/assessments?assume={assume}", Examples.Bundle("crlm-indeterminate-ras"), "application/fhir+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    /// <summary>The high-risk example with what the SMART app adds for the MDT view: an order for oxaliplatin and a CA 19-9.</summary>
    internal static string BundleWithContext()
    {
        var bundle = JsonNode.Parse(Examples.Bundle("crlm-high-risk"))!;
        bundle["entry"]!.AsArray().Add(new JsonObject { ["resource"] = JsonNode.Parse("""
            {"resourceType":"MedicationRequest","id":"folfox","status":"completed","intent":"order","subject":{"reference":"Patient/crlm-high-risk"},"authoredOn":"2024-06-03",
             "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"32592","display":"oxaliplatin"}]}}
            """) });
        bundle["entry"]!.AsArray().Add(new JsonObject { ["resource"] = JsonNode.Parse("""
            {"resourceType":"Observation","id":"ca199","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24108-3"}]},"subject":{"reference":"Patient/crlm-high-risk"},
             "effectiveDateTime":"2024-05-20","valueQuantity":{"value":88,"unit":"U/mL","system":"http://unitsofmeasure.org","code":"[U]/mL"}}
            """) });
        return bundle.ToJsonString();
    }

    [Fact]
    public async Task The_mdt_context_of_a_bundle_lists_what_the_record_holds_beside_the_score_and_changes_no_score()
    {
        var (response, body) = await service.PostAsync(AssessmentContextPath, BundleWithContext(), "application/fhir+json");
        var (_, assessment) = await service.PostAsync("/api/assessments", BundleWithContext(), "application/fhir+json");
        var (_, withoutContext) = await service.PostAsync("/api/assessments", Examples.Bundle("crlm-high-risk"), "application/fhir+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var therapy = Assert.Single(body!["systemicTherapy"]!.AsArray())!;
        Assert.Equal(["oxaliplatin"], therapy["agentClasses"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("2024-06-03", (string)therapy["evidence"]!["date"]!);
        Assert.Equal(["CEA", "CA 19-9"], body["markers"]!.AsArray().Select(m => (string)m!["marker"]!));
        Assert.Equal(["KRAS"], body["molecular"]!.AsArray().Select(m => (string)m!["test"]!));
        Assert.Equal(2, body["lesionSizes"]!.AsArray().Count);
        // Context only: the assessment of the same record with and without it is the same.
        Assert.Equal((decimal)withoutContext!["score"]!, (decimal)assessment!["score"]!);
        Assert.Equal((string)withoutContext["riskGroup"]!, (string)assessment["riskGroup"]!);
    }

    [Fact]
    public async Task The_mdt_context_refuses_what_the_assessment_refuses()
    {
        var (response, body) = await service.PostAsync(AssessmentContextPath, """{"resourceType":"Patient","id":"x"}""", "application/fhir+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bundle", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    private const string AssessmentContextPath = "/api/assessments/mdt-context";

    [Fact]
    public async Task The_api_is_described_by_openapi()
    {
        var document = await service.GetJsonAsync("/openapi/v1.json");

        Assert.NotNull(document["paths"]!["/api/assessments"]!["post"]);
        Assert.NotNull(document["paths"]!["/cds-services/{id}"]!["post"]);
    }
}
