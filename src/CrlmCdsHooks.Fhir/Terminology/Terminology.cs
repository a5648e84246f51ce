using System.Text.Json;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// The code sets the mapper matches against: the ValueSets published in <c>fhir-profiles/</c> (shipped inside this
/// assembly, loaded once at start-up: the single source of the service's codes) plus a site's own codes from
/// configuration. Each property is the ValueSet named <c>Crlm</c> + the property's name.
/// </summary>
public sealed class Terminology
{
    /// <summary>Configuration section of a site's additions: value set (property name) → <c>system|code</c> entries.</summary>
    public const string Section = "Terminology";

    /// <summary>SNOMED CT.</summary>
    public const string Snomed = "http://snomed.info/sct";

    private readonly IReadOnlyDictionary<string, FhirNode> _valueSets;
    private readonly IDictionary<string, List<string>> _siteCodes;

    /// <summary>The shipped value sets alone.</summary>
    public static Terminology Default { get; } = new();

    /// <summary>The shipped value sets plus a site's additions (each <c>system|code</c>, keyed by property name).</summary>
    /// <exception cref="FormatException">A site entry is not <c>system|code</c>, or names no value set.</exception>
    public Terminology(IDictionary<string, List<string>>? siteCodes = null)
    {
        _siteCodes = siteCodes ?? new Dictionary<string, List<string>>();
        var unknown = _siteCodes.Keys.Where(k => typeof(Terminology).GetProperty(k)?.PropertyType != typeof(CodeSet)).ToList();
        if (unknown.Count > 0)
            throw new FormatException($"Terminology configuration names no value set: {string.Join(", ", unknown)}.");
        (Systems, _valueSets) = (ShippedContract.Systems, ShippedContract.ValueSets);

        ColorectalPrimary = Load(nameof(ColorectalPrimary));
        ColorectalNonAdenocarcinoma = Load(nameof(ColorectalNonAdenocarcinoma));
        AdenocarcinomaHistology = Load(nameof(AdenocarcinomaHistology));
        LiverMetastasis = Load(nameof(LiverMetastasis));
        RecurrentDisease = Load(nameof(RecurrentDisease));
        SecondaryNeoplasmAnySite = Load(nameof(SecondaryNeoplasmAnySite));
        ExtrahepaticMetastasis = Load(nameof(ExtrahepaticMetastasis));
        SecondaryLymphNode = Load(nameof(SecondaryLymphNode));
        LiverBodySite = Load(nameof(LiverBodySite));
        LiverResection = Load(nameof(LiverResection));
        LiverAblation = Load(nameof(LiverAblation));
        LiverBiopsy = Load(nameof(LiverBiopsy));
        LiverStagingProcedure = Load(nameof(LiverStagingProcedure));
        OtherLiverDirectedTherapy = Load(nameof(OtherLiverDirectedTherapy));
        PrimaryResection = Load(nameof(PrimaryResection));
        VariantAssessment = Load(nameof(VariantAssessment));
        KrasMutationResult = Load(nameof(KrasMutationResult));
        NrasMutationResult = Load(nameof(NrasMutationResult));
        GeneStudied = Load(nameof(GeneStudied));
        KrasGene = Load(nameof(KrasGene));
        NrasGene = Load(nameof(NrasGene));
        MutationPresent = Load(nameof(MutationPresent));
        MutationAbsent = Load(nameof(MutationAbsent));
        VariantSignificance = Load(nameof(VariantSignificance));
        VariantPathogenic = Load(nameof(VariantPathogenic));
        VariantBenign = Load(nameof(VariantBenign));
        VariantUncertain = Load(nameof(VariantUncertain));
        TumorSize = Load(nameof(TumorSize));
        TumorLongestDimension = Load(nameof(TumorLongestDimension));
        LiverLesionCount = Load(nameof(LiverLesionCount));
        PathologicalN = Load(nameof(PathologicalN));
        ClinicalN = Load(nameof(ClinicalN));
        UnspecifiedN = Load(nameof(UnspecifiedN));
        NodeNegative = Load(nameof(NodeNegative));
        NodePositive = Load(nameof(NodePositive));
        PathologicalNodeValue = Load(nameof(PathologicalNodeValue));
        NodeValueNotPrimary = Load(nameof(NodeValueNotPrimary));
        DistantMetastasisCategory = Load(nameof(DistantMetastasisCategory));
        DistantMetastasisBeyondLiver = Load(nameof(DistantMetastasisBeyondLiver));
        DistantMetastasisUnplaced = Load(nameof(DistantMetastasisUnplaced));
        Cea = Load(nameof(Cea));
        Ca199 = Load(nameof(Ca199));
        MicrosatelliteInstability = Load(nameof(MicrosatelliteInstability));
        BrafGene = Load(nameof(BrafGene));
        VariantChange = Load(nameof(VariantChange));
        ResectionMargin = Load(nameof(ResectionMargin));
        AgentOxaliplatin = Load(nameof(AgentOxaliplatin));
        AgentIrinotecan = Load(nameof(AgentIrinotecan));
        AgentFluoropyrimidine = Load(nameof(AgentFluoropyrimidine));
        AgentAntiEgfr = Load(nameof(AgentAntiEgfr));
        AgentAntiVegf = Load(nameof(AgentAntiVegf));
    }

    /// <summary>The code systems the service knows, with their aliases (OIDs, second URIs).</summary>
    public CodeSystems Systems { get; }

    /// <summary>Colorectal primary cancer (secondary neoplasms and non-epithelial tumours excluded).</summary>
    public CodeSet ColorectalPrimary { get; }
    /// <summary>Colorectal cancers recorded as other than adenocarcinoma (the model was derived on adenocarcinoma).</summary>
    public CodeSet ColorectalNonAdenocarcinoma { get; }
    /// <summary>Histology values that are an adenocarcinoma (mCODE histology-morphology-behavior).</summary>
    public CodeSet AdenocarcinomaHistology { get; }
    /// <summary>Secondary malignant neoplasm of the liver.</summary>
    public CodeSet LiverMetastasis { get; }
    /// <summary>Recurrent disease, placed by its body site.</summary>
    public CodeSet RecurrentDisease { get; }
    /// <summary>The generic secondary malignant neoplasm, placed by its body site.</summary>
    public CodeSet SecondaryNeoplasmAnySite { get; }
    /// <summary>Secondary malignant neoplasm at a site other than the liver and lymph nodes.</summary>
    public CodeSet ExtrahepaticMetastasis { get; }
    /// <summary>Secondary malignant neoplasm of lymph nodes.</summary>
    public CodeSet SecondaryLymphNode { get; }
    /// <summary>The liver and its parts (lobes, segments).</summary>
    public CodeSet LiverBodySite { get; }
    /// <summary>Liver resection (hepatectomy), biopsies excluded.</summary>
    public CodeSet LiverResection { get; }
    /// <summary>Liver ablation.</summary>
    public CodeSet LiverAblation { get; }
    /// <summary>Liver biopsy or diagnostic excision: never a resection or a treatment.</summary>
    public CodeSet LiverBiopsy { get; }
    /// <summary>Portal vein embolisation or ligation, ALPPS first stage.</summary>
    public CodeSet LiverStagingProcedure { get; }
    /// <summary>Liver-directed therapy other than resection and ablation (SBRT, TACE, radioembolisation, HAI).</summary>
    public CodeSet OtherLiverDirectedTherapy { get; }
    /// <summary>Resection of the colorectal primary.</summary>
    public CodeSet PrimaryResection { get; }
    /// <summary>Genetic variant assessment with a gene-studied component.</summary>
    public CodeSet VariantAssessment { get; }
    /// <summary>KRAS-specific mutation result.</summary>
    public CodeSet KrasMutationResult { get; }
    /// <summary>NRAS-specific mutation result.</summary>
    public CodeSet NrasMutationResult { get; }
    /// <summary>Component naming the gene studied.</summary>
    public CodeSet GeneStudied { get; }
    /// <summary>KRAS (codes, and its symbol as display for text-only genes).</summary>
    public CodeSet KrasGene { get; }
    /// <summary>NRAS (codes, and its symbol as display for text-only genes).</summary>
    public CodeSet NrasGene { get; }
    /// <summary>Result values meaning a mutation was found.</summary>
    public CodeSet MutationPresent { get; }
    /// <summary>Result values meaning no mutation was found.</summary>
    public CodeSet MutationAbsent { get; }
    /// <summary>Component of a variant's clinical significance.</summary>
    public CodeSet VariantSignificance { get; }
    /// <summary>Pathogenic or likely pathogenic.</summary>
    public CodeSet VariantPathogenic { get; }
    /// <summary>Benign or likely benign.</summary>
    public CodeSet VariantBenign { get; }
    /// <summary>Uncertain significance.</summary>
    public CodeSet VariantUncertain { get; }
    /// <summary>Tumour size.</summary>
    public CodeSet TumorSize { get; }
    /// <summary>Component of a tumour's longest dimension.</summary>
    public CodeSet TumorLongestDimension { get; }
    /// <summary>A recorded number of liver lesions (no standard code; a site adds its own).</summary>
    public CodeSet LiverLesionCount { get; }
    /// <summary>Pathological N category observation.</summary>
    public CodeSet PathologicalN { get; }
    /// <summary>Clinical N category observation.</summary>
    public CodeSet ClinicalN { get; }
    /// <summary>N category observation of unstated kind (read by its value).</summary>
    public CodeSet UnspecifiedN { get; }
    /// <summary>N0 values.</summary>
    public CodeSet NodeNegative { get; }
    /// <summary>N1–N2 values.</summary>
    public CodeSet NodePositive { get; }
    /// <summary>N values that are pathological (pN, ypN).</summary>
    public CodeSet PathologicalNodeValue { get; }
    /// <summary>N values that do not stage the primary (rN).</summary>
    public CodeSet NodeValueNotPrimary { get; }
    /// <summary>M category (distant metastasis) observation.</summary>
    public CodeSet DistantMetastasisCategory { get; }
    /// <summary>M1b and M1c: disease beyond the liver.</summary>
    public CodeSet DistantMetastasisBeyondLiver { get; }
    /// <summary>M1 and M1a: possibly liver-only.</summary>
    public CodeSet DistantMetastasisUnplaced { get; }
    /// <summary>Serum CEA.</summary>
    public CodeSet Cea { get; }

    // Read only for the MDT view's context (MdtContextReader): none of these changes a score.

    /// <summary>Serum CA 19-9.</summary>
    public CodeSet Ca199 { get; }
    /// <summary>Microsatellite instability (MSI) result.</summary>
    public CodeSet MicrosatelliteInstability { get; }
    /// <summary>BRAF (codes, and its symbol as display for text-only genes).</summary>
    public CodeSet BrafGene { get; }
    /// <summary>Component naming a variant's DNA or amino acid change (HGVS).</summary>
    public CodeSet VariantChange { get; }
    /// <summary>A liver resection's margin (no standard code; a site adds its own).</summary>
    public CodeSet ResectionMargin { get; }
    /// <summary>Oxaliplatin.</summary>
    public CodeSet AgentOxaliplatin { get; }
    /// <summary>Irinotecan.</summary>
    public CodeSet AgentIrinotecan { get; }
    /// <summary>Fluoropyrimidines (fluorouracil, capecitabine).</summary>
    public CodeSet AgentFluoropyrimidine { get; }
    /// <summary>Anti-EGFR antibodies (cetuximab, panitumumab).</summary>
    public CodeSet AgentAntiEgfr { get; }
    /// <summary>Anti-VEGF agents (bevacizumab).</summary>
    public CodeSet AgentAntiVegf { get; }

    /// <summary>A readable name for a coding: the record's display, else the value set's own; null when neither has one.</summary>
    public static string? NameOf(CodedCoding coding, params CodeSet[] sets) =>
        coding.Display ?? sets.Select(s => s.DisplayOf(coding.System, coding.Code)).FirstOrDefault(d => d is not null);

    /// <summary>Reads a CodeableConcept's JSON once, for matching against any of these value sets.</summary>
    public CodedConcept Concept(FhirNode? concept) => CodedConcept.Read(concept, Systems);

    private CodeSet Load(string property)
    {
        var name = $"Crlm{property}";
        var valueSet = _valueSets.TryGetValue(name, out var shipped) ? shipped
            : throw new InvalidOperationException($"The ValueSet {name} is missing from the shipped fhir-profiles.");
        var site = _siteCodes.TryGetValue(property, out var entries) ? entries.Select(ParseEntry) : [];
        return ValueSetReader.ToCodeSet(valueSet, Systems, site);
    }

    private static (string, string, string?) ParseEntry(string systemAndCode)
    {
        var bar = systemAndCode.LastIndexOf('|');
        if (bar <= 0 || bar == systemAndCode.Length - 1)
            throw new FormatException($"Terminology entry '{systemAndCode}' is not of the form system|code.");
        return (systemAndCode[..bar].Trim(), systemAndCode[(bar + 1)..].Trim(), null);
    }

    /// <summary>
    /// The ValueSets and NamingSystems of <c>fhir-profiles/</c>, embedded in this assembly at build time, read as JSON:
    /// building the SDK's object model for them was most of the service's start-up (about 0.85 s, docs/performance.md).
    /// </summary>
    private static class ShippedContract
    {
        public static readonly CodeSystems Systems;
        public static readonly IReadOnlyDictionary<string, FhirNode> ValueSets;

        static ShippedContract()
        {
            Systems = new CodeSystems(Resources("NamingSystem-"));
            ValueSets = Resources("ValueSet-").ToDictionary(v => v.StringValue("name") ?? v.StringValue("id") ?? "", StringComparer.Ordinal);
        }

        private static IEnumerable<FhirNode> Resources(string prefix)
        {
            var assembly = typeof(Terminology).Assembly;
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith($"{ContractPrefix}{prefix}", StringComparison.Ordinal)))
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                // A JSON value of its own, not a pooled document: the value sets are read after this returns.
                var json = JsonSerializer.Deserialize<JsonElement>(stream);
                yield return SourcedResource.Read(json, out var problem) is { } resource
                    ? resource.Resource
                    : throw new InvalidOperationException($"Shipped {name} is not a readable FHIR resource: {problem}");
            }
        }

        private const string ContractPrefix = "CrlmCdsHooks.Fhir.Contract.";
    }
}
