using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// What each mapped fact says about its record, as the card and the app show it (SPEC 4: the kind of record and its
/// date, never a FHIR id or a bare code), and the reading rules of SPEC 7.3, 7.5 and 7.6 on records as EHRs send them.
/// </summary>
public class MappedRecordTests
{
    private const string Subject = """ "subject": {"reference": "Patient/p1"} """;
    private const string Sct = "http://snomed.info/sct";
    private const string Loinc = "http://loinc.org";

    private static ClinicalFacts Map(params string[] json) => new ClinicalFactsMapper(Terminology.Default).Map(json.Select(ResourceJson.Read));

    private static string Coding(string system, string code, string? display = null) =>
        display is null ? $$"""{"system":"{{system}}","code":"{{code}}"}""" : $$"""{"system":"{{system}}","code":"{{code}}","display":"{{display}}"}""";

    private static string Condition(string id, string coding, string extra = "") =>
        $$$"""{"resourceType":"Condition","id":"{{{id}}}","code":{"coding":[{{{coding}}}]},{{{Subject}}}{{{extra}}}}""";

    private static string Observation(string id, string coding, string date, string value, string extra = "") =>
        $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{{{coding}}}]},{{{Subject}}},"effectiveDateTime":"{{{date}}}",{{{value}}}{{{extra}}}}""";

    private static string Procedure(string id, string code, string extra = "") =>
        $$$"""{"resourceType":"Procedure","id":"{{{id}}}","status":"completed","code":{{{code}}},{{{Subject}}}{{{extra}}}}""";

    private const string LiverMetastasis = """{"system":"http://snomed.info/sct","code":"94381002","display":"Secondary malignant neoplasm of liver"}""";

    // ---- Conditions: which date, what state (SPEC 7.3)

    [Fact]
    public void A_condition_is_dated_by_its_onset_over_its_recorded_date_and_only_by_the_recorded_date_when_it_has_no_onset()
    {
        var facts = Map(
            Condition("both", LiverMetastasis, ""","onsetDateTime":"2023-05-01","recordedDate":"2023-06-01" """),
            Condition("recorded", LiverMetastasis, ""","recordedDate":"2023-07-01" """),
            Condition("period", LiverMetastasis, ""","onsetPeriod":{"start":"2023-08-01"} """));

        var byId = facts.LiverMetastases.ToDictionary(d => d.Evidence.Reference);
        Assert.Equal(new DateOnly(2023, 5, 1), byId["Condition/both"].Date);
        Assert.False(byId["Condition/both"].DatedByRecordedDate);
        Assert.Equal(new DateOnly(2023, 7, 1), byId["Condition/recorded"].Date);
        Assert.True(byId["Condition/recorded"].DatedByRecordedDate);
        Assert.Equal(new DateOnly(2023, 8, 1), byId["Condition/period"].Date);
        Assert.All(facts.LiverMetastases, d => Assert.Equal("diagnosis", d.Evidence.Kind));
        Assert.Empty(facts.DataWarnings);
    }

    [Fact]
    public void A_condition_without_any_date_to_the_day_is_said_so()
    {
        var facts = Map(Condition("undated", LiverMetastasis, ""","onsetDateTime":"2023" """));

        Assert.Null(Assert.Single(facts.LiverMetastases).Date);
        Assert.Contains("Condition/undated: no onset or recorded date to the day.", facts.DataWarnings);
    }

    [Theory]
    [InlineData("recurrence", true, ClinicalState.Active)]
    [InlineData("relapse", true, ClinicalState.Active)]
    [InlineData("active", false, ClinicalState.Active)]
    [InlineData("remission", false, ClinicalState.Resolved)]
    [InlineData("inactive", false, ClinicalState.Resolved)]
    public void The_clinical_status_says_whether_it_is_a_recurrence_and_whether_it_is_resolved(string status, bool recurrence, ClinicalState state)
    {
        var facts = Map(Condition("met", LiverMetastasis,
            $$""","onsetDateTime":"2023-05-01","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"{{status}}"}]}"""));

        var met = Assert.Single(facts.LiverMetastases);
        Assert.Equal(recurrence, met.RecordedAsRecurrence);
        Assert.Equal(state, met.State);
    }

    [Fact]
    public void A_primary_with_an_adenocarcinoma_histology_coded_without_the_word_is_not_listed_as_another_histology()
    {
        const string histology = ""","extension":[{"url":"http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"35917007","display":"NOS"}]}}]""";
        var facts = Map(Condition("primary", Coding(Sct, "363406005", "Malignant tumor of colon"), ""","onsetDateTime":"2022-06-01" """ + histology));

        Assert.Single(facts.ColorectalPrimaries);
        Assert.Empty(facts.Review);
    }

    [Fact]
    public void An_unknown_icd_10_cm_c_code_is_listed_as_a_possible_malignancy_and_a_c_code_of_a_local_system_is_not()
    {
        var facts = Map(
            Condition("pancreas", Coding("http://hl7.org/fhir/sid/icd-10-cm", "C25.0", "Malignant neoplasm of head of pancreas"), ""","onsetDateTime":"2023-05-01" """),
            Condition("local", Coding("http://hospital.example.org/dx", "C12", "Hypertension"), ""","onsetDateTime":"2023-05-01" """));

        Assert.Equal(["Condition/pancreas"], facts.Review.Select(r => r.Reference));
    }

    // ---- Placement of sizes by focus (SPEC 7.6)

    private static string Size(string id, string focus) =>
        Observation(id, Coding(Loinc, "21889-1"), "2024-01-02", """ "valueQuantity":{"value":2.5,"unit":"cm","code":"cm"} """, $$""","focus":[{{focus}}]""");

    [Fact]
    public void A_size_focused_on_lymph_node_disease_is_not_a_liver_size()
    {
        var facts = Map(
            Condition("nodes", Coding(Sct, "94392001", "Secondary malignant neoplasm of lymph nodes"), ""","onsetDateTime":"2023-05-01" """),
            Size("size", """{"reference":"Condition/nodes"}"""));

        Assert.Empty(facts.LesionMeasurements);
    }

    [Fact]
    public void A_size_focused_on_a_condition_the_service_cannot_place_stays_unplaced_not_outside_the_liver()
    {
        var facts = Map(
            Condition("cyst", Coding(Sct, "85057007", "Cyst"), ""","onsetDateTime":"2023-05-01" """),
            Size("size", """{"reference":"Condition/cyst"}"""));

        Assert.Null(Assert.Single(facts.LesionMeasurements).InLiver);
    }

    [Fact]
    public void A_size_focused_on_liver_and_lung_disease_is_not_a_liver_size_in_either_order()
    {
        var liver = Condition("liver", LiverMetastasis, ""","onsetDateTime":"2023-05-01" """);
        var lung = Condition("lung", Coding(Sct, "94391008", "Secondary malignant neoplasm of lung"), ""","onsetDateTime":"2023-05-01" """);

        Assert.Empty(Map(liver, lung, Size("size", """{"reference":"Condition/lung"},{"reference":"Condition/liver"}""")).LesionMeasurements);
        Assert.Empty(Map(liver, lung, Size("size", """{"reference":"Condition/liver"},{"reference":"Condition/lung"}""")).LesionMeasurements);
    }

    [Fact]
    public void A_focus_given_as_an_absolute_versioned_url_is_placed()
    {
        var facts = Map(
            Condition("lung", Coding(Sct, "94391008", "Secondary malignant neoplasm of lung"), ""","onsetDateTime":"2023-05-01" """),
            Size("size", """{"reference":"https://ehr.example.org/fhir/Condition/lung/_history/3"}"""));

        Assert.Empty(facts.LesionMeasurements);
    }

    [Fact]
    public void The_longest_dimension_component_is_the_size_when_the_value_holds_another_measure()
    {
        var facts = Map(Observation("size", Coding(Loinc, "21889-1"), "2024-01-02", """ "valueQuantity":{"value":5,"unit":"cm","code":"cm"} """,
            ""","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"33728-7"}]},"valueQuantity":{"value":3,"unit":"cm","code":"cm"}}]"""));

        Assert.Equal(30m, Assert.Single(facts.LesionMeasurements).LargestDiameterMm);
    }

    [Fact]
    public void A_size_without_a_number_is_said_so_and_not_used()
    {
        var facts = Map(Observation("size", Coding(Loinc, "21889-1"), "2024-01-02", """ "valueString":"several" """));

        Assert.Empty(facts.LesionMeasurements);
        Assert.Contains("Observation/size: tumour size without a longest dimension was not used.", facts.DataWarnings);
    }

    [Theory]
    [InlineData("imaging", "imaging report")]
    [InlineData("laboratory", "pathology or laboratory report")]
    [InlineData("vital-signs", "tumour measurement")]
    public void A_size_is_named_by_the_kind_of_report_its_category_gives(string category, string kind)
    {
        var facts = Map(Observation("size", Coding(Loinc, "21889-1"), "2024-01-02", """ "valueQuantity":{"value":2,"unit":"cm","code":"cm"} """,
            $$""","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"{{category}}"}]}]"""));

        Assert.Equal(kind, Assert.Single(facts.LesionMeasurements).Evidence.Kind);
    }

    // ---- Lesion counts, CEA, N and M categories (SPEC 7.6)

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void A_recorded_count_of_up_to_100_liver_lesions_is_used(int count, bool used)
    {
        var terminology = new Terminology(new Dictionary<string, List<string>> { ["LiverLesionCount"] = ["http://hospital.example.org/obs|LLC"] });
        var facts = new ClinicalFactsMapper(terminology).Map([ResourceJson.Read(
            Observation("count", Coding("http://hospital.example.org/obs", "LLC"), "2024-01-02", $$""" "valueInteger":{{count}} """))]);

        Assert.Equal(used, facts.LesionCounts.Count == 1);
        Assert.Equal(!used, facts.Review.Count == 1);
    }

    [Fact]
    public void A_cea_of_zero_is_a_result_not_an_implausible_value()
    {
        var facts = Map(Observation("cea", Coding(Loinc, "2039-6"), "2024-01-02", """ "valueQuantity":{"value":0,"unit":"ng/mL","code":"ng/mL"} """));

        var cea = Assert.Single(facts.CeaResults);
        Assert.Equal(0m, cea.NanogramsPerMillilitre);
        Assert.Equal("laboratory result", cea.Evidence.Kind);
        Assert.Empty(facts.Review);
    }

    [Fact]
    public void An_implausible_cea_is_listed_as_a_laboratory_result()
    {
        var facts = Map(Observation("cea", Coding(Loinc, "2039-6"), "2024-01-02", """ "valueQuantity":{"value":200000,"unit":"ng/mL","code":"ng/mL"} """));

        Assert.StartsWith("laboratory result of 2024-01-02: CEA 200000 ng/mL", Assert.Single(facts.Review).Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("371494008", "pN1a", "pathology report", "pathological N category pN1a")]
    [InlineData("399534004", "cN1", "clinical staging", "clinical N category cN1")]
    public void An_n_category_is_named_by_its_kind_and_its_value(string code, string value, string kind, string description)
    {
        var facts = Map(Observation("n", Coding(Sct, code), "2022-10-01", $$""" "valueCodeableConcept":{"coding":[{"system":"http://cancerstaging.org","code":"{{value}}"}]} """));

        var staging = Assert.Single(facts.NodalStagings);
        Assert.Equal(value, staging.Category); // an AJCC code without a display names itself
        Assert.Equal(kind, staging.Evidence.Kind);
        Assert.Equal(description, staging.Evidence.Description);
    }

    [Fact]
    public void An_n_category_of_a_recurrence_is_said_not_to_stage_the_primary()
    {
        var facts = Map(Observation("rn", Coding(Sct, "371494008"), "2024-01-02", """ "valueCodeableConcept":{"coding":[{"system":"http://cancerstaging.org","code":"rpN1"}]} """));

        Assert.Empty(facts.NodalStagings);
        Assert.Contains(facts.DataWarnings, w => w.StartsWith("Observation/rn: N category rpN1 stages a recurrence", StringComparison.Ordinal));
    }

    [Fact]
    public void M1a_is_an_unplaced_distant_metastasis_named_as_staging()
    {
        var facts = Map(Observation("m", Coding(Loinc, "21907-1"), "2022-10-01", """ "valueCodeableConcept":{"coding":[{"system":"http://cancerstaging.org","code":"cM1a"}]} """));

        var staging = Assert.Single(facts.DistantMetastasisStagings);
        Assert.Equal(DistantMetastasisCategory.Unplaced, staging.Category);
        Assert.Equal("staging", staging.Evidence.Kind);
        Assert.Equal("M category cM1a", staging.Evidence.Description);
    }

    // ---- RAS (SPEC 7.6)

    private static string Kras(string significance) =>
        Observation("kras", Coding(Loinc, "69548-6"), "2022-10-20", """ "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4","display":"Present"}]} """,
            $$$""","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueString":"KRAS"},{"code":{"coding":[{"system":"http://loinc.org","code":"53037-8"}]},"valueCodeableConcept":{"coding":[{{{significance}}}]}}]""");

    [Theory]
    [InlineData("LA26334-5", "Likely benign", RasCall.NoMutation, "KRAS benign variant only, no mutation: Likely benign")]
    [InlineData("LA26333-7", "Uncertain significance", RasCall.UncertainSignificance, "KRAS variant of uncertain significance: Uncertain significance")]
    public void A_variants_significance_decides_over_its_present_value_and_is_named(string code, string display, RasCall call, string description)
    {
        var facts = Map(Kras(Coding(Loinc, code, display)));

        var ras = Assert.Single(facts.RasResults);
        Assert.Equal(RasGene.Kras, ras.Gene); // the gene given as a bare symbol
        Assert.Equal(call, ras.Call);
        Assert.Equal(description, ras.Evidence.Description);
        Assert.Equal("molecular result", ras.Evidence.Kind);
    }

    [Fact]
    public void A_significance_the_service_cannot_read_is_listed_not_guessed()
    {
        var facts = Map(Kras(Coding("http://hospital.example.org/sig", "X", "Odd")));

        Assert.Empty(facts.RasResults);
        Assert.Equal("Observation/kras", Assert.Single(facts.Review).Reference);
    }

    [Fact]
    public void A_kras_absent_result_is_named_as_no_mutation_with_the_value_as_recorded()
    {
        var facts = Map(Observation("kras", Coding(Loinc, "21702-6"), "2022-10-20", """ "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9634-2","display":"Absent"}]} """));

        Assert.Equal("KRAS no mutation (absent): Absent", Assert.Single(facts.RasResults).Evidence.Description);
    }

    [Fact]
    public void A_variant_assessment_of_another_gene_is_not_read_and_not_even_dated()
    {
        var facts = Map("""{"resourceType":"Observation","id":"braf","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},"subject":{"reference":"Patient/p1"},"valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4"}]},"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueString":"BRAF"}]}""");

        Assert.Empty(facts.RasResults);
        Assert.Empty(facts.DataWarnings); // no "no effective date" warning for a record no rule reads
    }

    // ---- Procedures (SPEC 7.2, 7.4, 7.7)

    [Fact]
    public void A_classified_procedure_without_a_date_to_the_day_is_said_so()
    {
        var facts = Map(Procedure("hx", """{"coding":[{"system":"http://snomed.info/sct","code":"107963000"}]}""", ""","performedDateTime":"2023-03" """));

        var resection = Assert.Single(facts.LiverResections);
        Assert.Null(resection.Date);
        Assert.Equal("procedure", resection.Kind);
        Assert.Contains("Procedure/hx: no performed date to the day.", facts.DataWarnings);
    }

    [Theory]
    [InlineData("Laparoscopic liver resection, segment 6", true)]
    [InlineData("Hepatic artery embolization", true)]
    [InlineData("Ultrasound-guided liver biopsy with ablation probe placement", false)] // a biopsy is never a treatment
    [InlineData("Liver function tests", false)]                                          // the liver, but no treatment word
    [InlineData("Colon resection", false)]                                                // a treatment word, not the liver
    public void A_local_procedure_that_names_a_liver_treatment_is_listed_for_review(string text, bool review)
    {
        var facts = Map(Procedure("local", $$"""{"coding":[{"system":"http://hospital.example.org/proc","code":"P1"}],"text":"{{text}}"}""", ""","performedDateTime":"2023-09-01" """));

        Assert.Equal(review, facts.Review.Count == 1);
    }

    [Fact]
    public void Chemoembolisation_with_no_body_site_is_liver_directed_and_at_another_site_is_not()
    {
        const string tace = """{"coding":[{"system":"http://snomed.info/sct","code":"441525007"}]}""";
        var noSite = Map(Procedure("tace", tace, ""","performedDateTime":"2023-09-01" """));
        var lung = Map(Procedure("tace", tace, ""","performedDateTime":"2023-09-01","bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"39607008"}]}]"""));

        Assert.Single(noSite.OtherLiverDirectedTherapies);
        Assert.Empty(lung.OtherLiverDirectedTherapies);
    }

    // ---- Dates (SPEC 7.7: an implausible date is a recording error)

    [Theory]
    [InlineData("1900-01-01", true)]
    [InlineData("1899-12-31", false)]
    public void A_date_from_1900_on_is_plausible(string date, bool usable)
    {
        var facts = Map(Condition("met", LiverMetastasis, $$""","onsetDateTime":"{{date}}" """));

        Assert.Equal(usable, Assert.Single(facts.LiverMetastases).Date is not null);
    }

    [Fact]
    public void An_impossible_date_on_a_record_no_rule_reads_is_not_listed_for_review()
    {
        var facts = Map(Condition("cyst", Coding(Sct, "85057007", "Cyst"), ""","onsetDateTime":"2023-02-30" """));

        Assert.Empty(facts.Review);
    }
}
