using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// The MDT view's context, read from records as EHRs send them: systemic therapy by agent class however the medication is
/// coded or referenced, tumour markers in one unit each, molecular results with their variants, lesion sites.
/// </summary>
public class MdtContextTests
{
    private const string Subject = """ "subject": {"reference": "Patient/p1"} """;

    private static MdtContext Read(params string[] resourcesJson) =>
        new MdtContextReader(Terminology.Default, new ClinicalFactsMapper(Terminology.Default)).Read(resourcesJson.Select(ResourceJson.Read));

    private static string Order(string id, string medication, string status = "active", string authoredOn = "2024-02-01") =>
        $$$"""{"resourceType":"MedicationRequest","id":"{{{id}}}","status":"{{{status}}}","intent":"order",{{{medication}}},{{{Subject}}},"authoredOn":"{{{authoredOn}}}"}""";

    private static string Coded(string system, string code, string display) =>
        $$$""" "medicationCodeableConcept":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}","display":"{{{display}}}"}]} """;

    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    [Fact]
    public void Systemic_agents_are_classed_by_rxnorm_or_atc_code_or_by_the_ingredient_named_in_a_local_or_clinical_drug_coding()
    {
        var context = Read(
            Order("oxaliplatin", Coded(RxNorm, "32592", "oxaliplatin")),
            // FOLFIRI written under a local code: both of its agents are named.
            Order("folfiri", Coded("http://hospital.example.org/chemo", "R-17", "FOLFIRI (irinotecan + fluorouracil)"), authoredOn: "2024-03-01"),
            // A German ATC coding (BfArM URI) on a Medication resource read with the record.
            """{"resourceType":"MedicationAdministration","id":"bev","status":"completed","medicationReference":{"reference":"Medication/avastin"},"subject":{"reference":"Patient/p1"},"effectivePeriod":{"start":"2024-04-02T09:00:00+02:00"}}""",
            """{"resourceType":"Medication","id":"avastin","code":{"coding":[{"system":"http://fhir.de/CodeSystem/bfarm/atc","code":"L01XC07"}],"text":"Avastin 25 mg/ml"}}""",
            // A contained Medication coded as an RxNorm clinical drug the set does not list: its name says cetuximab.
            """{"resourceType":"MedicationStatement","id":"cetux","status":"completed","contained":[{"resourceType":"Medication","id":"m1","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"999999","display":"cetuximab 2 MG/ML Injectable Solution"}]}}],"medicationReference":{"reference":"#m1"},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-05-01"}""");

        Assert.Equal(
            [["oxaliplatin"], ["irinotecan", "fluoropyrimidine"], ["anti-VEGF agent"], ["anti-EGFR antibody"]],
            context.SystemicTherapy.Select(t => t.AgentClasses));
        Assert.Equal(["medication order", "medication order", "medication administration", "medication statement"], context.SystemicTherapy.Select(t => t.Evidence.Kind));
        Assert.Equal([new DateOnly(2024, 2, 1), new DateOnly(2024, 3, 1), new DateOnly(2024, 4, 2), new DateOnly(2024, 5, 1)],
            context.SystemicTherapy.Select(t => t.Evidence.Date));
        Assert.Equal("Avastin 25 mg/ml", context.SystemicTherapy[2].Evidence.Description);
        Assert.Equal(["active", "active", "completed", "completed"], context.SystemicTherapy.Select(t => t.Status));
        Assert.Equal(0, context.OtherMedicationRecords);
        Assert.Empty(context.Warnings);
    }

    [Fact]
    public void Other_medicines_are_counted_not_listed_and_an_entered_in_error_order_is_not_therapy()
    {
        var context = Read(
            Order("paracetamol", Coded(RxNorm, "161", "acetaminophen")),
            // "platinum" alone and a word that only contains an agent's name are no agent.
            Order("carboplatin", Coded("http://hospital.example.org/chemo", "C1", "carboplatin (a platinum)")),
            Order("mistake", Coded(RxNorm, "32592", "oxaliplatin"), status: "entered-in-error"));

        Assert.Empty(context.SystemicTherapy);
        Assert.Equal(2, context.OtherMedicationRecords);
    }

    [Fact]
    public void A_medication_record_whose_medication_was_not_read_is_counted_and_said_not_guessed()
    {
        var context = Read("""{"resourceType":"MedicationRequest","id":"r1","status":"active","intent":"order","medicationReference":{"reference":"https://ehr.example.org/fhir/Medication/unseen/_history/2"},"subject":{"reference":"Patient/p1"},"authoredOn":"2024-02-01"}""");

        Assert.Empty(context.SystemicTherapy);
        Assert.Equal(1, context.OtherMedicationRecords);
        Assert.Contains("MedicationRequest/r1", Assert.Single(context.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_medication_reference_to_a_medication_read_with_the_record_is_found_by_its_absolute_or_versioned_url()
    {
        var context = Read(
            """{"resourceType":"MedicationRequest","id":"r1","status":"active","intent":"order","medicationReference":{"reference":"https://ehr.example.org/fhir/Medication/cap/_history/2"},"subject":{"reference":"Patient/p1"},"authoredOn":"2024-02-01"}""",
            """{"resourceType":"Medication","id":"cap","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"194000","display":"capecitabine"}]}}""");

        Assert.Equal(["fluoropyrimidine"], Assert.Single(context.SystemicTherapy).AgentClasses);
    }

    private static string Lab(string id, string code, string date, string value) =>
        $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]},{{{Subject}}},"effectiveDateTime":"{{{date}}}",{{{value}}}}""";

    [Fact]
    public void Ca19_9_is_charted_in_units_per_millilitre_and_a_result_in_another_unit_is_listed_not_drawn()
    {
        var context = Read(
            Lab("ca-2", "24108-3", "2024-03-01", """ "valueQuantity":{"value":120,"unit":"U/mL","system":"http://unitsofmeasure.org","code":"[U]/mL"} """),
            Lab("ca-1", "24108-3", "2024-01-01", """ "valueQuantity":{"value":40,"unit":"kU/L","system":"http://unitsofmeasure.org","code":"kU/L"} """),
            Lab("ca-odd", "24108-3", "2024-02-01", """ "valueQuantity":{"value":3,"unit":"ng/mL","system":"http://unitsofmeasure.org","code":"ng/mL"} """),
            Lab("cea", "2039-6", "2024-01-01", """ "valueQuantity":{"value":12.5,"unit":"ng/mL","system":"http://unitsofmeasure.org","code":"ng/mL"} """));

        var cea = Assert.Single(context.Markers, m => m.Marker == "CEA");
        Assert.Equal([12.5m], cea.Values.Select(v => v.Value));
        var ca199 = Assert.Single(context.Markers, m => m.Marker == "CA 19-9");
        Assert.Equal("U/mL", ca199.Unit);
        Assert.Equal([40m, 120m], ca199.Values.Select(v => v.Value)); // oldest first; kU/L is the same number
        Assert.Equal("Observation/ca-odd", Assert.Single(ca199.NotCharted).Reference);
    }

    [Fact]
    public void A_marker_never_recorded_is_absent_not_an_empty_chart()
    {
        var context = Read(Lab("cea", "2039-6", "2024-01-01", """ "valueQuantity":{"value":4,"unit":"ng/mL","code":"ng/mL"} """));

        Assert.Equal(["CEA"], context.Markers.Select(m => m.Marker));
    }

    private static string Variant(string id, string gene, string geneCode, string value, string change) =>
        $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},{{{Subject}}},"effectiveDateTime":"2022-11-01","valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"{{{value}}}"}]},"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org","code":"{{{geneCode}}}","display":"{{{gene}}}"}]}},{"code":{"coding":[{"system":"http://loinc.org","code":"48005-3"}]},"valueCodeableConcept":{"text":"{{{change}}}"}}]}""";

    [Fact]
    public void Ras_as_the_model_reads_it_braf_and_msi_are_listed_with_the_variant_each_reports()
    {
        var context = Read(
            Variant("kras", "KRAS", "HGNC:6407", "LA9633-4", "p.Gly12Asp"),
            Variant("braf", "BRAF", "HGNC:1097", "LA9633-4", "p.Val600Glu"),
            Lab("msi", "81695-9", "2022-11-02", """ "valueCodeableConcept":{"text":"MSI-high"} """));

        Assert.Equal(["KRAS", "BRAF", "microsatellite instability"], context.Molecular.Select(m => m.Test));
        Assert.Equal("mutation", context.Molecular[0].Result);
        Assert.Equal("p.Gly12Asp", context.Molecular[0].Variant);
        Assert.Equal("p.Val600Glu", context.Molecular[1].Variant);
        Assert.Equal("MSI-high", context.Molecular[2].Result);
    }

    [Fact]
    public void A_liver_size_names_the_lobe_coded_as_its_body_site_and_a_size_outside_the_liver_is_not_a_liver_lesion()
    {
        string Size(string id, string site) =>
            $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"21889-1"}]},{{{Subject}}},"effectiveDateTime":"2024-01-02","bodySite":{"coding":[{"system":"http://snomed.info/sct","code":"{{{site}}}"}]},"valueQuantity":{"value":2.5,"unit":"cm","code":"cm"}}""";

        var context = Read(Size("liver", "48521005"), Size("lung", "39607008"));

        var size = Assert.Single(context.LesionSizes);
        Assert.Equal(25m, size.Millimetres);
        Assert.NotNull(size.Site);
        Assert.Contains("right lobe", size.Site, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_timeline_history_holds_the_primary_and_every_liver_treatment_oldest_first_and_no_biopsy()
    {
        string Procedure(string id, string system, string code, string date) =>
            $$$"""{"resourceType":"Procedure","id":"{{{id}}}","status":"completed","code":{"coding":[{"system":"{{{system}}}","code":"{{{code}}}"}]},{{{Subject}}},"performedDateTime":"{{{date}}}"}""";

        var context = Read(
            Procedure("ablation", "http://www.cms.gov/Medicare/Coding/ICD10", "0F500ZZ", "2024-05-02"),
            Procedure("hepatectomy", "http://www.ama-assn.org/go/cpt", "47120", "2023-03-10"),
            """{"resourceType":"Condition","id":"primary","code":{"coding":[{"system":"http://snomed.info/sct","code":"363406005"}]},"subject":{"reference":"Patient/p1"},"onsetDateTime":"2022-09-01"}""",
            // A biopsy is never a treatment (SPEC 7.4): not on the timeline.
            Procedure("biopsy", "http://www.cms.gov/Medicare/Coding/ICD10", "0FB03ZX", "2024-04-01"));

        Assert.Equal(["Colorectal primary diagnosed", "Liver resection", "Liver ablation"], context.TimelineEvents.Select(e => e.Role));
        Assert.Equal(["Condition/primary", "Procedure/hepatectomy", "Procedure/ablation"], context.TimelineEvents.Select(e => e.Evidence.Reference));
    }

    [Fact]
    public void A_medication_record_with_an_invalid_element_is_left_out_with_a_warning_and_the_rest_is_read()
    {
        var context = Read(
            """{"resourceType":"MedicationRequest","id":"bad","status":"active","intent":"order","medicationCodeableConcept":{"coding":"oxaliplatin"},"subject":{"reference":"Patient/p1"}}""",
            Order("good", Coded(RxNorm, "51499", "irinotecan")));

        Assert.Equal(["irinotecan"], Assert.Single(context.SystemicTherapy).AgentClasses);
        Assert.Contains("MedicationRequest/bad", Assert.Single(context.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Results_are_listed_oldest_first_with_undated_ones_last()
    {
        var context = Read(
            Lab("ca-late", "24108-3", "2024-03-01", """ "valueQuantity":{"value":50,"unit":"U/mL","code":"U/mL"} """),
            """{"resourceType":"Observation","id":"ca-undated","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24108-3"}]},"subject":{"reference":"Patient/p1"},"valueQuantity":{"value":70,"unit":"U/mL","code":"U/mL"}}""",
            Lab("ca-early", "24108-3", "2024-01-01", """ "valueQuantity":{"value":30,"unit":"U/mL","code":"U/mL"} """));

        var ca199 = Assert.Single(context.Markers);
        Assert.Equal(["Observation/ca-early", "Observation/ca-late", "Observation/ca-undated"], ca199.Values.Select(v => v.Evidence.Reference));
        Assert.All(ca199.Values, v => Assert.Equal("laboratory result", v.Evidence.Kind));
    }

    [Fact]
    public void A_cancelled_or_mistaken_result_is_not_context()
    {
        var context = Read(
            Lab("ca", "24108-3", "2024-01-01", """ "valueQuantity":{"value":30,"unit":"U/mL","code":"U/mL"} """).Replace("\"final\"", "\"cancelled\"", StringComparison.Ordinal),
            Lab("msi", "81695-9", "2022-11-02", """ "valueCodeableConcept":{"text":"MSI-high"} """).Replace("\"final\"", "\"entered-in-error\"", StringComparison.Ordinal));

        Assert.Empty(context.Markers);
        Assert.Empty(context.Molecular);
    }

    [Fact]
    public void A_braf_result_names_its_variant_only_when_one_is_coded()
    {
        const string withoutChange = """{"resourceType":"Observation","id":"braf","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2022-11-01","valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9634-2","display":"Absent"}]},"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueString":"BRAF"}]}""";

        var absent = Assert.Single(Read(withoutChange).Molecular);
        var present = Read(Variant("braf", "BRAF", "HGNC:1097", "LA9633-4", "p.Val600Glu")).Molecular.Single();

        Assert.Null(absent.Variant);
        Assert.Equal("BRAF: Absent", absent.Evidence.Description);
        Assert.Equal("BRAF: Present, p.Val600Glu", present.Evidence.Description);
    }

    [Fact]
    public void A_resection_margin_is_read_where_a_site_codes_it()
    {
        var terminology = new Terminology(new Dictionary<string, List<string>> { ["ResectionMargin"] = ["http://hospital.example.org/path|MARGIN"] });
        var reader = new MdtContextReader(terminology, new ClinicalFactsMapper(terminology));

        var context = reader.Read([ResourceJson.Read(
            """{"resourceType":"Observation","id":"margin","status":"final","code":{"coding":[{"system":"http://hospital.example.org/path","code":"MARGIN"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2023-03-12","valueString":"R0, 4 mm"}""")]);

        var margin = Assert.Single(context.ResectionMargins);
        Assert.Equal("resection margin: R0, 4 mm", margin.Description);
        Assert.Equal("pathology report", margin.Kind);
    }

    [Fact]
    public void A_date_after_today_is_not_used()
    {
        var clock = new FixedClock(new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var reader = new MdtContextReader(Terminology.Default, new ClinicalFactsMapper(Terminology.Default, clock), clock);

        var context = reader.Read([ResourceJson.Read(Order("later", Coded(RxNorm, "32592", "oxaliplatin"), authoredOn: "2024-06-01"))]);

        Assert.Null(Assert.Single(context.SystemicTherapy).Evidence.Date);
    }

    [Fact]
    public void A_medication_record_without_a_date_is_listed_undated()
    {
        var context = Read("""{"resourceType":"MedicationRequest","id":"undated","status":"active","intent":"order","medicationCodeableConcept":{"text":"Oxaliplatin"},"subject":{"reference":"Patient/p1"}}""");

        Assert.Null(Assert.Single(context.SystemicTherapy).Evidence.Date);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
