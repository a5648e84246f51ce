using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>SPEC 7.1: codes are concepts. The shipped ValueSets are matched as code families, patterns and aliases.</summary>
public class TerminologyTests
{
    private static readonly Terminology Codes = Terminology.Default;

    [Theory]
    [InlineData("urn:oid:2.16.840.1.113883.6.96", "94381002")]
    [InlineData("http://snomed.info/sct", "94381002")]
    [InlineData("urn:oid:2.16.840.1.113883.6.90", "C78.7")]
    [InlineData("urn:oid:2.16.840.1.113883.6.3", "C78.7")]
    public void A_code_system_written_as_its_oid_is_the_same_system(string system, string code) =>
        Assert.True(Codes.LiverMetastasis.Contains(new Coding(system, code)));

    [Theory]
    [InlineData("http://www.genenames.org", "HGNC:6407")]
    [InlineData("http://www.genenames.org/geneId", "HGNC:6407")]
    [InlineData("http://www.genenames.org", "6407")]
    [InlineData("urn:oid:2.16.840.1.113883.6.281", "HGNC:6407")]
    public void Kras_is_recognised_under_either_hgnc_uri_its_oid_and_with_or_without_the_prefix(string system, string code) =>
        Assert.True(Codes.KrasGene.Contains(new Coding(system, code)));

    private static CodedConcept TextOnly(string text) =>
        Codes.Concept(new FhirNode(System.Text.Json.JsonSerializer.SerializeToElement(new { text }), "code"));

    [Fact]
    public void A_gene_given_only_as_text_is_named_by_its_symbol()
    {
        Assert.True(Codes.KrasGene.NamedBy(TextOnly(" kras ")));
        Assert.True(Codes.NrasGene.NamedBy(TextOnly("NRAS")));
        Assert.False(Codes.KrasGene.NamedBy(TextOnly("KRAS G12D")));
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C78.01", true)]  // lung, a sub-code of C78
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C78.0", true)]   // header code
    [InlineData("http://hl7.org/fhir/sid/icd-10", "C79.5", true)]      // WHO ICD-10, bone
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C7951", true)]   // written without the dot
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C78.7", false)]  // liver: excluded from the family
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C787", false)]
    [InlineData("http://hl7.org/fhir/sid/icd-10-cm", "C18.7", false)]  // a primary
    public void Extrahepatic_icd10_codes_match_by_family_with_the_liver_excluded(string system, string code, bool extrahepatic) =>
        Assert.Equal(extrahepatic, Codes.ExtrahepaticMetastasis.Contains(new Coding(system, code)));

    [Theory]
    [InlineData("C18", true)]
    [InlineData("C18.7", true)]
    [InlineData("C19", true)]
    [InlineData("C20", true)]
    [InlineData("C21.0", false)]
    [InlineData("C78.7", false)]
    public void Colorectal_primaries_match_by_icd10_family(string code, bool primary)
    {
        Assert.Equal(primary, Codes.ColorectalPrimary.Contains(new Coding("http://hl7.org/fhir/sid/icd-10-cm", code)));
        Assert.Equal(primary, Codes.ColorectalPrimary.Contains(new Coding("http://hl7.org/fhir/sid/icd-10", code)));
    }

    [Fact]
    public void The_generic_secondary_neoplasm_is_placed_by_body_site_not_read_as_extrahepatic()
    {
        var generic = new Coding(Terminology.Snomed, "128462008");

        Assert.True(Codes.SecondaryNeoplasmAnySite.Contains(generic));
        Assert.False(Codes.ExtrahepaticMetastasis.Contains(generic));
        Assert.False(Codes.ExtrahepaticMetastasis.Contains(new Coding(Terminology.Snomed, "94381002")));
    }

    [Theory]
    [InlineData("0FB00ZZ", true, false)] // open excision of liver, not diagnostic
    [InlineData("0FB13ZZ", true, false)]
    [InlineData("0FT00ZZ", true, false)] // resection of liver
    [InlineData("0FB03ZX", false, true)] // percutaneous diagnostic excision: a biopsy
    [InlineData("0FB20ZX", false, true)]
    public void An_icd10_pcs_excision_with_the_diagnostic_qualifier_is_a_biopsy_never_a_resection(string code, bool resection, bool biopsy)
    {
        var coding = new Coding("http://www.cms.gov/Medicare/Coding/ICD10", code);

        Assert.Equal(resection, Codes.LiverResection.Contains(coding));
        Assert.Equal(biopsy, Codes.LiverBiopsy.Contains(coding));
    }

    [Theory]
    [InlineData("47120")]
    [InlineData("47130")]
    public void Cpt_hepatectomy_codes_are_liver_resections(string code) =>
        Assert.True(Codes.LiverResection.Contains(new Coding("urn:oid:2.16.840.1.113883.6.12", code)));

    [Theory]
    [InlineData("47382")]
    [InlineData("47380")]
    public void Cpt_ablation_codes_are_liver_ablations(string code) =>
        Assert.True(Codes.LiverAblation.Contains(new Coding("http://www.ama-assn.org/go/cpt", code)));

    [Theory]
    [InlineData("pN1a", true, true)]
    [InlineData("ypN1", true, true)]
    [InlineData("cN2b", true, false)]
    [InlineData("N0", false, false)]
    [InlineData("ypN0", false, true)]
    public void Ajcc_n_values_are_read_by_pattern_including_ypn_as_pathological(string code, bool positive, bool pathological)
    {
        var value = new CodeableConcept("http://cancerstaging.org", code);

        Assert.Equal(positive, Codes.NodePositive.Matches(value));
        Assert.Equal(!positive, Codes.NodeNegative.Matches(value));
        Assert.Equal(pathological, Codes.PathologicalNodeValue.Matches(value));
        Assert.False(Codes.NodeValueNotPrimary.Matches(value));
        Assert.True(Codes.NodeValueNotPrimary.Matches(new CodeableConcept("http://cancerstaging.org", "rN1")));
    }

    [Theory]
    [InlineData("cM1b", true, false)]
    [InlineData("pM1c", true, false)]
    [InlineData("M1a", false, true)]
    [InlineData("cM1", false, true)]
    [InlineData("cM0", false, false)]
    public void Ajcc_m_values_tell_disease_beyond_the_liver_from_possibly_liver_only(string code, bool beyondLiver, bool unplaced)
    {
        var value = new CodeableConcept("http://cancerstaging.org", code);

        Assert.Equal(beyondLiver, Codes.DistantMetastasisBeyondLiver.Matches(value));
        Assert.Equal(unplaced, Codes.DistantMetastasisUnplaced.Matches(value));
    }

    [Fact]
    public void The_prefetch_templates_agree_with_the_shipped_expansions_and_fit_a_request_line()
    {
        var queries = new PrefetchQueries(Codes);
        var templates = queries.Templates();
        CodeSet[] observationSets =
        [
            Codes.VariantAssessment, Codes.KrasMutationResult, Codes.NrasMutationResult, Codes.TumorSize, Codes.LiverLesionCount,
            Codes.PathologicalN, Codes.ClinicalN, Codes.UnspecifiedN, Codes.DistantMetastasisCategory, Codes.Cea,
        ];

        var searched = templates[PrefetchQueries.ObservationsKey].Split("&code=")[1].Split('&')[0].Split(',').Select(Uri.UnescapeDataString);
        Assert.Equal(observationSets.SelectMany(s => s.Codes).Distinct().Order(StringComparer.Ordinal), searched.Order(StringComparer.Ordinal));
        Assert.Contains("21889-1", searched);
        Assert.Contains("21907-1", searched);
        // Conditions and Procedures are read whole: unknown malignancies and every liver procedure must be seen (SPEC 7.4, 7.7).
        // Every search names its page size: some servers page at 20 by default, which would cut a prefetch short.
        Assert.Equal("Condition?patient=Patient/{{context.patientId}}&_count=100", templates[PrefetchQueries.ConditionsKey]);
        Assert.Equal("Procedure?patient=Patient/{{context.patientId}}&_count=100", templates[PrefetchQueries.ProceduresKey]);
        Assert.EndsWith("&_count=100", templates[PrefetchQueries.ObservationsKey], StringComparison.Ordinal);
        Assert.All(queries.For(new string('x', 64)).Values, q => Assert.True($"GET /fhir/{q} HTTP/1.1".Length < 2048, q));
    }

    [Fact]
    public void Site_codes_too_many_for_one_request_line_are_refused_at_start_up()
    {
        var fits = new Terminology(new Dictionary<string, List<string>> { ["Cea"] = [.. Enumerable.Range(0, 20).Select(i => $"http://hospital.example.org/obs|CEA-{i}")] });
        var tooMany = new Terminology(new Dictionary<string, List<string>> { ["Cea"] = [.. Enumerable.Range(0, 400).Select(i => $"http://hospital.example.org/obs|CEA-{i}")] });

        Assert.Contains("CEA-19", new PrefetchQueries(fits).For("p1")[PrefetchQueries.ObservationsKey], StringComparison.Ordinal);
        var refusal = Assert.Throws<InvalidOperationException>(() => new PrefetchQueries(tooMany));
        Assert.Contains("request lines over 2 KB", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Terminology section", refusal.Message, StringComparison.Ordinal);
    }
}
