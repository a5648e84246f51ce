namespace CrlmCdsHooks.Fhir;

/// <summary>
/// A site's own codes, added to the shipped defaults (configuration section <c>Terminology</c>).
/// Each entry is <c>system|code</c>, e.g. <c>"http://hospital.example.org/codes|CRC-PRIM"</c>.
/// </summary>
public sealed class TerminologyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Terminology";

    /// <summary>Condition codes of a colorectal primary cancer.</summary>
    public List<string> ColorectalPrimary { get; set; } = [];
    /// <summary>Condition codes of a liver metastasis.</summary>
    public List<string> LiverMetastasis { get; set; } = [];
    /// <summary>Condition codes of a metastasis outside the liver.</summary>
    public List<string> ExtrahepaticMetastasis { get; set; } = [];
    /// <summary>Condition codes of a secondary neoplasm whose site is given by <c>bodySite</c>.</summary>
    public List<string> SecondaryNeoplasmAnySite { get; set; } = [];
    /// <summary>Body site codes meaning the liver.</summary>
    public List<string> LiverBodySite { get; set; } = [];
    /// <summary>Procedure codes of a liver resection.</summary>
    public List<string> LiverResection { get; set; } = [];
    /// <summary>Procedure codes of a liver ablation.</summary>
    public List<string> LiverAblation { get; set; } = [];
    /// <summary>Observation codes of a genetic variant assessment with a gene-studied component.</summary>
    public List<string> VariantAssessment { get; set; } = [];
    /// <summary>Observation codes of a KRAS-specific mutation result.</summary>
    public List<string> KrasMutationResult { get; set; } = [];
    /// <summary>Observation codes of an NRAS-specific mutation result.</summary>
    public List<string> NrasMutationResult { get; set; } = [];
    /// <summary>Component codes naming the gene studied.</summary>
    public List<string> GeneStudied { get; set; } = [];
    /// <summary>Gene codes of KRAS.</summary>
    public List<string> KrasGene { get; set; } = [];
    /// <summary>Gene codes of NRAS.</summary>
    public List<string> NrasGene { get; set; } = [];
    /// <summary>Result values meaning a mutation was found.</summary>
    public List<string> MutationPresent { get; set; } = [];
    /// <summary>Result values meaning no mutation was found.</summary>
    public List<string> MutationAbsent { get; set; } = [];
    /// <summary>Observation codes of a tumour size.</summary>
    public List<string> TumorSize { get; set; } = [];
    /// <summary>Component codes of a tumour's longest dimension.</summary>
    public List<string> TumorLongestDimension { get; set; } = [];
    /// <summary>Observation codes of a recorded number of liver lesions (no standard code exists; none by default).</summary>
    public List<string> LiverLesionCount { get; set; } = [];
    /// <summary>Observation codes of a pathological N category.</summary>
    public List<string> PathologicalN { get; set; } = [];
    /// <summary>Observation codes of a clinical N category.</summary>
    public List<string> ClinicalN { get; set; } = [];
    /// <summary>Observation codes of an N category of unstated kind (read as clinical unless the value says pathological).</summary>
    public List<string> UnspecifiedN { get; set; } = [];
    /// <summary>N category values meaning node-negative (N0).</summary>
    public List<string> NodeNegative { get; set; } = [];
    /// <summary>N category values meaning node-positive (N1–N2).</summary>
    public List<string> NodePositive { get; set; } = [];
    /// <summary>Observation codes of serum CEA.</summary>
    public List<string> Cea { get; set; } = [];
}

/// <summary>The code sets the mapper matches against: shipped defaults plus a site's additions.</summary>
public sealed class Terminology
{
    /// <summary>SNOMED CT.</summary>
    public const string Snomed = "http://snomed.info/sct";
    /// <summary>LOINC.</summary>
    public const string Loinc = "http://loinc.org";
    /// <summary>ICD-10-CM.</summary>
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    /// <summary>ICD-10 (WHO).</summary>
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    /// <summary>AJCC staging codes.</summary>
    public const string Ajcc = "http://cancerstaging.org";

    private static readonly string[] Hgnc = ["http://www.genenames.org", "http://www.genenames.org/geneId"];

    private static readonly string[] Icd10Colorectal =
        ["C18", .. Enumerable.Range(0, 10).Select(i => $"C18.{i}"), "C19", "C20"];

    // Secondary neoplasms other than liver (C78.7): lymph nodes C77, respiratory and digestive C78, other sites C79.
    private static readonly string[] Icd10Extrahepatic =
    [
        "C77.0", "C77.1", "C77.2", "C77.3", "C77.4", "C77.5", "C77.8", "C77.9",
        "C78.00", "C78.01", "C78.02", "C78.1", "C78.2", "C78.30", "C78.39", "C78.4", "C78.5", "C78.6", "C78.80", "C78.89",
        "C79.00", "C79.01", "C79.02", "C79.10", "C79.11", "C79.19", "C79.2", "C79.31", "C79.32", "C79.40", "C79.49",
        "C79.51", "C79.52", "C79.60", "C79.61", "C79.62", "C79.63", "C79.70", "C79.71", "C79.72", "C79.81", "C79.82", "C79.89", "C79.9",
    ];

    /// <summary>Codes of a colorectal primary cancer.</summary>
    public CodeSet ColorectalPrimary { get; }
    /// <summary>Codes of a liver metastasis.</summary>
    public CodeSet LiverMetastasis { get; }
    /// <summary>Codes of a metastasis outside the liver.</summary>
    public CodeSet ExtrahepaticMetastasis { get; }
    /// <summary>Codes of a secondary neoplasm placed by body site.</summary>
    public CodeSet SecondaryNeoplasmAnySite { get; }
    /// <summary>Body sites meaning the liver.</summary>
    public CodeSet LiverBodySite { get; }
    /// <summary>Codes of a liver resection.</summary>
    public CodeSet LiverResection { get; }
    /// <summary>Codes of a liver ablation.</summary>
    public CodeSet LiverAblation { get; }
    /// <summary>Codes of a genetic variant assessment.</summary>
    public CodeSet VariantAssessment { get; }
    /// <summary>Codes of a KRAS-specific result.</summary>
    public CodeSet KrasMutationResult { get; }
    /// <summary>Codes of an NRAS-specific result.</summary>
    public CodeSet NrasMutationResult { get; }
    /// <summary>Component codes of the gene studied.</summary>
    public CodeSet GeneStudied { get; }
    /// <summary>KRAS gene codes.</summary>
    public CodeSet KrasGene { get; }
    /// <summary>NRAS gene codes.</summary>
    public CodeSet NrasGene { get; }
    /// <summary>Values meaning a mutation was found.</summary>
    public CodeSet MutationPresent { get; }
    /// <summary>Values meaning no mutation was found.</summary>
    public CodeSet MutationAbsent { get; }
    /// <summary>Codes of a tumour size.</summary>
    public CodeSet TumorSize { get; }
    /// <summary>Component codes of the longest dimension.</summary>
    public CodeSet TumorLongestDimension { get; }
    /// <summary>Codes of a recorded liver lesion count.</summary>
    public CodeSet LiverLesionCount { get; }
    /// <summary>Codes of a pathological N category.</summary>
    public CodeSet PathologicalN { get; }
    /// <summary>Codes of a clinical N category.</summary>
    public CodeSet ClinicalN { get; }
    /// <summary>Codes of an N category of unstated kind.</summary>
    public CodeSet UnspecifiedN { get; }
    /// <summary>Node-negative values.</summary>
    public CodeSet NodeNegative { get; }
    /// <summary>Node-positive values.</summary>
    public CodeSet NodePositive { get; }
    /// <summary>Codes of serum CEA.</summary>
    public CodeSet Cea { get; }

    /// <summary>The shipped defaults alone.</summary>
    public static Terminology Default { get; } = new(new TerminologyOptions());

    /// <summary>The shipped defaults plus a site's additions.</summary>
    public Terminology(TerminologyOptions site)
    {
        ColorectalPrimary = Set(site.ColorectalPrimary, Sct("363406005", "363351006", "93761005"),
            Icd10Colorectal.Select(c => $"{Icd10Cm}|{c}"), Icd10Colorectal.Select(c => $"{Icd10}|{c}"));
        LiverMetastasis = Set(site.LiverMetastasis, Sct("94381002"), [$"{Icd10Cm}|C78.7", $"{Icd10}|C78.7"]);
        ExtrahepaticMetastasis = Set(site.ExtrahepaticMetastasis, Icd10Extrahepatic.Select(c => $"{Icd10Cm}|{c}"));
        SecondaryNeoplasmAnySite = Set(site.SecondaryNeoplasmAnySite, Sct("128462008"));
        LiverBodySite = Set(site.LiverBodySite, Sct("10200004"));
        LiverResection = Set(site.LiverResection, Sct("107963000", "85946004", "174431000", "72106008"));
        LiverAblation = Set(site.LiverAblation, Sct("708625004", "5415002"));
        VariantAssessment = Set(site.VariantAssessment, Lnc("69548-6"));
        KrasMutationResult = Set(site.KrasMutationResult, Lnc("21702-6"));
        NrasMutationResult = Set(site.NrasMutationResult);
        GeneStudied = Set(site.GeneStudied, Lnc("48018-6"));
        KrasGene = Set(site.KrasGene, Hgnc.Select(s => $"{s}|HGNC:6407"));
        NrasGene = Set(site.NrasGene, Hgnc.Select(s => $"{s}|HGNC:7989"));
        MutationPresent = Set(site.MutationPresent, Lnc("LA9633-4"));
        MutationAbsent = Set(site.MutationAbsent, Lnc("LA9634-2"));
        TumorSize = Set(site.TumorSize, Lnc("21889-1"));
        TumorLongestDimension = Set(site.TumorLongestDimension, Lnc("33728-7"));
        LiverLesionCount = Set(site.LiverLesionCount);
        PathologicalN = Set(site.PathologicalN, Sct("371494008"), Lnc("21900-6"));
        ClinicalN = Set(site.ClinicalN, Sct("399534004"), Lnc("21906-3"));
        UnspecifiedN = Set(site.UnspecifiedN, Sct("277206009"));
        NodeNegative = Set(site.NodeNegative, Sct("1229947003", "1229967007"));
        NodePositive = Set(site.NodePositive, Sct("1229951001", "1229957002", "1229973008", "1229978004"));
        Cea = Set(site.Cea, Lnc("2039-6", "83085-1"));
    }

    /// <summary>SNOMED N-category values that are pathological (pN0, pN1, pN2).</summary>
    public static IReadOnlySet<string> PathologicalNodeValues { get; } = new HashSet<string>(["1229947003", "1229951001", "1229957002"]);

    private static IEnumerable<string> Sct(params string[] codes) => codes.Select(c => $"{Snomed}|{c}");
    private static IEnumerable<string> Lnc(params string[] codes) => codes.Select(c => $"{Loinc}|{c}");

    private static CodeSet Set(IEnumerable<string> site, params IEnumerable<string>[] defaults) =>
        new(defaults.SelectMany(d => d).Concat(site));
}
