using System.Text.Json;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>FHIR R4 as real EHRs send it, mapped to clinical facts with their sources.</summary>
public class MappingTests
{
    private const string Subject = """ "subject": {"reference": "Patient/p1"} """;

    private static ClinicalFacts Map(Terminology terminology, params string[] resourcesJson) =>
        new ClinicalFactsMapper(terminology).Map(resourcesJson.Select(ResourceJson.Read));

    private static ClinicalFacts Map(params string[] resourcesJson) => Map(Terminology.Default, resourcesJson);

    private static string TumorSize(string id, string quantity, bool inComponent = false) => inComponent
        ? $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"21889-1"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02T10:00:00+01:00","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"33728-7"}]},"valueQuantity":{{{quantity}}}}]}"""
        : $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"21889-1"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02","valueQuantity":{{{quantity}}}}""";

    private static string NCategory(string id, string code, string valueSystem, string value) =>
        $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://snomed.info/sct","code":"{{{code}}}"}]},{{{Subject}}},"effectiveDateTime":"2022-10-01","valueCodeableConcept":{"coding":[{"system":"{{{valueSystem}}}","code":"{{{value}}}"}]}}""";

    [Fact]
    public void Sizes_in_cm_or_mm_in_the_value_or_the_longest_dimension_component_are_read_in_mm()
    {
        var facts = Map(
            TumorSize("cm", """{"value":3.4,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}"""),
            TumorSize("mm", """{"value":28,"unit":"mm","system":"http://unitsofmeasure.org","code":"mm"}""", inComponent: true));

        Assert.Equal([34m, 28m], facts.LesionMeasurements.Select(m => m.LargestDiameterMm));
        Assert.Equal(["Observation/cm", "Observation/mm"], facts.LesionMeasurements.Select(m => m.Evidence.Reference));
        Assert.All(facts.LesionMeasurements, m => Assert.Equal(new DateOnly(2024, 1, 2), m.Evidence.Date));
    }

    [Theory]
    [InlineData("\"valueQuantity\":{\"value\":3.4", "\"valueQuantity\":{\"value\":\"3.4\"", "'value' should be a number")]
    [InlineData("\"status\":\"final\"", "\"status\":\"done\"", "'status' is 'done'")]
    [InlineData("\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"21889-1\"}]", "\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"21889-1\"},null]", "'coding' should be an object, found null")]
    [InlineData("\"effectiveDateTime\":\"2024-01-02\"", "\"effectiveDateTime\":20240102", "'effectiveDateTime' should be a string")]
    public void A_resource_with_an_element_in_a_form_fhir_does_not_allow_is_not_used_at_all_and_is_listed_for_review(string valid, string invalid, string named)
    {
        var json = TumorSize("broken", """{"value":3.4,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}""");
        Assert.Single(Map(json).LesionMeasurements); // the valid form is read

        var facts = Map(json.Replace(valid, invalid, StringComparison.Ordinal));

        Assert.Empty(facts.LesionMeasurements);
        var review = Assert.Single(facts.Review);
        Assert.Equal("Observation/broken", review.Reference);
        Assert.Equal("a record that could not be read (Observation)", review.Description);
        Assert.Contains(named, review.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://loinc.org", " 2039-6 ", true)]
    [InlineData("urn:oid:2.16.840.1.113883.6.1", "2039-6", true)] // LOINC by its OID
    [InlineData("http://loinc.org", "718-7", false)] // hemoglobin: nothing the models read
    [InlineData("http://snomed.info/sct", "2039-6", false)] // the same digits in another system
    public void An_observation_is_read_by_its_code_as_a_concept_whatever_alias_names_its_system(string system, string code, bool read)
    {
        var facts = Map($$$"""{"resourceType":"Observation","id":"lab","status":"final","code":{"coding":[{"system":"http://example.org/local","code":"X1"},{"system":"{{{system}}}","code":"{{{code}}}"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02","valueQuantity":{"value":12,"system":"http://unitsofmeasure.org","code":"ng/mL"}}""");

        Assert.Equal(read ? 1 : 0, facts.CeaResults.Count);
    }

    [Fact]
    public void A_size_in_a_unit_that_cannot_be_converted_is_not_used_and_is_listed_for_review()
    {
        var facts = Map(TumorSize("inch", """{"value":1.2,"unit":"[in_i]","system":"http://unitsofmeasure.org","code":"[in_i]"}"""));

        Assert.Empty(facts.LesionMeasurements);
        var review = Assert.Single(facts.Review);
        Assert.Equal("Observation/inch", review.Reference);
        Assert.Contains("1.2 [in_i]", review.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("277206009", "http://cancerstaging.org", "pN2b", true, true)]
    [InlineData("277206009", "http://cancerstaging.org", "cN0", false, false)]
    [InlineData("399534004", "http://cancerstaging.org", "N1a", true, false)]
    [InlineData("371494008", "http://snomed.info/sct", "1229947003", false, true)]
    [InlineData("277206009", "http://snomed.info/sct", "1229951001", true, true)]
    public void N_categories_are_read_from_snomed_and_ajcc_codes(string code, string valueSystem, string value, bool positive, bool pathological)
    {
        var staging = Assert.Single(Map(NCategory("n", code, valueSystem, value)).NodalStagings);

        Assert.Equal((positive, pathological), (staging.NodePositive, staging.Pathological));
    }

    [Fact]
    public void An_nx_category_is_not_used_and_says_why()
    {
        var facts = Map(NCategory("nx", "371494008", "http://cancerstaging.org", "pNX"));

        Assert.Empty(facts.NodalStagings);
        Assert.Contains(facts.DataWarnings, w => w.Contains("Observation/nx", StringComparison.Ordinal));
    }

    [Fact]
    public void Entered_in_error_refuted_cancelled_and_incomplete_records_are_ignored()
    {
        var facts = Map(
            $$$"""{"resourceType":"Condition","id":"eie",{{{Subject}}},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"entered-in-error"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"94381002"}]},"onsetDateTime":"2024-01-01"}""",
            $$$"""{"resourceType":"Condition","id":"refuted",{{{Subject}}},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"refuted"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"94381002"}]},"onsetDateTime":"2024-01-01"}""",
            $$$"""{"resourceType":"Observation","id":"cancelled","status":"cancelled","code":{"coding":[{"system":"http://loinc.org","code":"21889-1"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02","valueQuantity":{"value":50,"code":"mm"}}""",
            $$$"""{"resourceType":"Procedure","id":"planned","status":"preparation","code":{"coding":[{"system":"http://snomed.info/sct","code":"107963000"}]},{{{Subject}}},"performedDateTime":"2023-01-01"}""");

        Assert.Empty(facts.LiverMetastases);
        Assert.Empty(facts.LesionMeasurements);
        Assert.Empty(facts.LiverResections);
    }

    [Fact]
    public void A_date_not_precise_to_the_day_is_not_used_as_a_date_and_says_why()
    {
        var facts = Map($$$"""{"resourceType":"Procedure","id":"hx","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"107963000"}]},{{{Subject}}},"performedDateTime":"2023-03"}""");

        Assert.Null(Assert.Single(facts.LiverResections).Date);
        Assert.Contains(facts.DataWarnings, w => w.Contains("'2023-03' is not precise to the day", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ng/mL", true)]
    [InlineData("ug/L", true)]
    [InlineData("ng/L", false)]
    public void Cea_in_ng_per_ml_or_ug_per_l_is_read_and_ng_per_l_is_rejected(string unit, bool read)
    {
        var facts = Map($$$"""{"resourceType":"Observation","id":"cea","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2039-6"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02","valueQuantity":{"value":250,"system":"http://unitsofmeasure.org","code":"{{{unit}}}"}}""");

        Assert.Equal(read ? 1 : 0, facts.CeaResults.Count);
        Assert.Equal(!read, facts.DataWarnings.Any(w => w.Contains("ng/L is rejected", StringComparison.Ordinal)));
    }

    [Fact]
    public void One_absent_variant_assessment_listing_both_genes_gives_both_results_under_either_hgnc_system()
    {
        var facts = Map($$$"""
            {"resourceType":"Observation","id":"ras","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},{{{Subject}}},"effectiveDateTime":"2022-10-20",
             "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9634-2","display":"Absent"}]},
             "component":[
               {"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org","code":"HGNC:6407"}]}},
               {"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org/geneId","code":"HGNC:7989"}]}}]}
            """);

        Assert.Equal([(RasGene.Kras, RasCall.NoMutation), (RasGene.Nras, RasCall.NoMutation)], facts.RasResults.Select(r => (r.Gene, r.Call)));
    }

    [Fact]
    public void A_text_only_ras_result_is_never_guessed_from_the_text_but_listed_for_review()
    {
        var facts = Map($$$"""{"resourceType":"Observation","id":"kras-text","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"21702-6"}]},{{{Subject}}},"effectiveDateTime":"2022-10-20","valueString":"KRAS G12D detected"}""");

        Assert.Empty(facts.RasResults);
        var review = Assert.Single(facts.Review);
        Assert.Equal("Observation/kras-text", review.Reference);
        Assert.Contains("KRAS G12D detected", review.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LA9633-4", RasCall.Mutation)]
    [InlineData("LA9634-2", RasCall.NoMutation)]
    public void A_kras_result_coded_present_is_a_mutation_and_absent_is_none(string answer, RasCall call)
    {
        var facts = Map($$$"""{"resourceType":"Observation","id":"kras","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"21702-6"}]},{{{Subject}}},"effectiveDateTime":"2022-10-20","valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"{{{answer}}}"}]}}""");

        var result = Assert.Single(facts.RasResults);
        Assert.Equal((RasGene.Kras, call), (result.Gene, result.Call));
    }

    [Fact]
    public void A_size_is_placed_by_its_body_site_and_one_outside_the_liver_is_not_a_liver_size()
    {
        static string SizeAt(string id, string? bodySite) => TumorSize(id, """{"value":40,"system":"http://unitsofmeasure.org","code":"mm"}""")[..^1]
            + (bodySite is null ? "}" : $$$""","bodySite":{"coding":[{"system":"http://snomed.info/sct","code":"{{{bodySite}}}"}]}}""");

        var facts = Map(SizeAt("liver", "10200004"), SizeAt("lung", "39607008"), SizeAt("unsaid", null));

        Assert.Equal([("Observation/liver", (bool?)true), ("Observation/unsaid", null)],
            facts.LesionMeasurements.Select(m => (m.Evidence.Reference, m.InLiver)));
    }

    [Fact]
    public void A_size_whose_focus_is_a_condition_or_body_structure_is_placed_where_that_is_and_keyed_by_it()
    {
        const string secondary = """ "code":{"coding":[{"system":"http://snomed.info/sct","code":"128462008"}]}, "onsetDateTime":"2024-01-01" """;
        static string SizeOf(string id, string focus) => TumorSize(id, """{"value":40,"system":"http://unitsofmeasure.org","code":"mm"}""")[..^1]
            + $$$""","focus":[{"reference":"{{{focus}}}"}]}""";

        var facts = Map(
            SizeOf("of-lung-lesion", "Condition/lung"),
            SizeOf("of-liver-lesion", "Condition/liver"),
            SizeOf("of-segment", "BodyStructure/segment-7"),
            $$$"""{"resourceType":"Condition","id":"lung",{{{Subject}}},{{{secondary}}},"bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"39607008"}]}]}""",
            $$$"""{"resourceType":"Condition","id":"liver",{{{Subject}}},{{{secondary}}},"bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"10200004"}]}]}""",
            """{"resourceType":"BodyStructure","id":"segment-7","patient":{"reference":"Patient/p1"},"location":{"coding":[{"system":"http://snomed.info/sct","code":"10200004"}]}}""");

        // The lung lesion's size is not a liver size; the others are keyed by the lesion they measure.
        Assert.Equal([("Condition/liver", (bool?)true), ("BodyStructure/segment-7", true)],
            facts.LesionMeasurements.Select(m => (m.LesionKey, m.InLiver)));
    }

    [Fact]
    public void A_resource_listed_twice_counts_once()
    {
        var cea = $$$"""{"resourceType":"Observation","id":"cea","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2039-6"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02","valueQuantity":{"value":250,"system":"http://unitsofmeasure.org","code":"ng/mL"}}""";

        var facts = Map(cea, TumorSize("size", """{"value":40,"system":"http://unitsofmeasure.org","code":"mm"}"""), cea);

        Assert.Single(facts.CeaResults);
        Assert.Single(facts.LesionMeasurements);
    }

    [Fact]
    public void A_secondary_neoplasm_is_placed_by_its_body_site_and_without_one_is_listed_for_review()
    {
        const string secondary = """ "code":{"coding":[{"system":"http://snomed.info/sct","code":"128462008"}]}, "onsetDateTime":"2024-01-01" """;
        var facts = Map(
            $$$"""{"resourceType":"Condition","id":"lung",{{{Subject}}},{{{secondary}}},"bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"39607008","display":"Lung structure"}]}]}""",
            $$$"""{"resourceType":"Condition","id":"liver",{{{Subject}}},{{{secondary}}},"bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"10200004"}]}]}""",
            $$$"""{"resourceType":"Condition","id":"nosite",{{{Subject}}},{{{secondary}}}}""");

        Assert.Equal("Condition/lung", Assert.Single(facts.ExtrahepaticMetastases).Evidence.Reference);
        Assert.Equal("Condition/liver", Assert.Single(facts.LiverMetastases).Evidence.Reference);
        Assert.Equal("Condition/nosite", Assert.Single(facts.Review).Reference);
    }

    [Fact]
    public void A_site_adds_its_own_codes_by_configuration_and_they_reach_the_prefetch_queries()
    {
        var site = new Terminology(new Dictionary<string, List<string>>
        {
            ["ColorectalPrimary"] = ["http://hospital.example.org/dx|CRC"],
            ["LiverLesionCount"] = ["http://hospital.example.org/obs|LIVER-LESIONS"],
        });

        var facts = Map(site,
            $$$"""{"resourceType":"Condition","id":"crc",{{{Subject}}},"code":{"coding":[{"system":"http://hospital.example.org/dx","code":"CRC"}]},"onsetDateTime":"2022-01-01"}""",
            $$$"""{"resourceType":"Observation","id":"count","status":"final","code":{"coding":[{"system":"http://hospital.example.org/obs","code":"LIVER-LESIONS"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02","valueInteger":3}""");

        Assert.Single(facts.ColorectalPrimaries);
        Assert.Equal(3, Assert.Single(facts.LesionCounts).Count);
        var queries = new PrefetchQueries(site).For("p1");
        Assert.Contains("LIVER-LESIONS", queries[PrefetchQueries.ObservationsKey], StringComparison.Ordinal);
        Assert.DoesNotContain("LIVER-LESIONS", new PrefetchQueries(Terminology.Default).For("p1")[PrefetchQueries.ObservationsKey], StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_terminology_entry_is_refused_at_start_up()
    {
        var malformed = Assert.Throws<FormatException>(() => new Terminology(new Dictionary<string, List<string>> { ["Cea"] = ["2039-6"] }));
        var misspelt = Assert.Throws<FormatException>(() => new Terminology(new Dictionary<string, List<string>> { ["Cee"] = ["http://loinc.org|2039-6"] }));

        Assert.Contains("system|code", malformed.Message, StringComparison.Ordinal);
        Assert.Contains("Cee", misspelt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_that_is_not_a_fhir_resource_is_refused_with_a_reason()
    {
        Assert.Null(ResourceJson.TryRead("""{"resourceType":"NotAResource"}""", out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
