namespace CrlmCdsHooks.Scoring;

/// <summary>Where a clinical fact came from, so a clinician can check it: the source record, its clinical date, and what it said.</summary>
/// <param name="Reference">The source record, e.g. <c>Observation/123</c>.</param>
/// <param name="Date">The clinically relevant date (onset, performed, effective); null when not recorded to the day.</param>
/// <param name="Description">What the record said, in words.</param>
public sealed record Evidence(string Reference, DateOnly? Date, string Description);

/// <summary>Gene of the RAS family that the Liu 2021 model counts.</summary>
public enum RasGene
{
    /// <summary>KRAS (HGNC:6407).</summary>
    Kras,
    /// <summary>NRAS (HGNC:7989).</summary>
    Nras,
}

/// <summary>One reported RAS gene result.</summary>
public sealed record RasResult(RasGene Gene, bool MutationPresent, Evidence Evidence);

/// <summary>The nodal (N) category of the colorectal primary.</summary>
/// <param name="NodePositive">True for N1–N2 (any subcategory), false for N0.</param>
/// <param name="Category">The category as recorded, e.g. <c>pN1a</c>.</param>
/// <param name="Pathological">True for pathological staging, false for clinical.</param>
public sealed record NodalStaging(bool NodePositive, string Category, bool Pathological, Evidence Evidence);

/// <summary>A measured liver lesion.</summary>
/// <param name="LargestDiameterMm">Longest dimension in millimetres.</param>
/// <param name="LesionKey">Identifies the lesion (e.g. its BodyStructure) so repeated measurements count once; the source reference when nothing better is recorded.</param>
/// <param name="InLiver">False when the record places the lesion outside the liver; null when it does not say.</param>
public sealed record LesionMeasurement(decimal LargestDiameterMm, string LesionKey, bool? InLiver, Evidence Evidence);

/// <summary>A recorded number of liver lesions.</summary>
public sealed record LesionCount(int Count, Evidence Evidence);

/// <summary>A serum CEA result in ng/mL.</summary>
public sealed record CeaResult(decimal NanogramsPerMillilitre, Evidence Evidence);

/// <summary>
/// Everything the models read about one patient, already mapped from the record and each tied to its source.
/// Selection by date (which lesions belong to the recurrence, which result wins) is the engine's job.
/// </summary>
public sealed record ClinicalFacts
{
    /// <summary>Colorectal primary cancer diagnoses.</summary>
    public IReadOnlyList<Evidence> ColorectalPrimaries { get; init; } = [];
    /// <summary>Liver metastasis diagnoses, dated by onset.</summary>
    public IReadOnlyList<Evidence> LiverMetastases { get; init; } = [];
    /// <summary>Metastases outside the liver, dated by onset.</summary>
    public IReadOnlyList<Evidence> ExtrahepaticMetastases { get; init; } = [];
    /// <summary>Completed liver resections (hepatectomies), dated by when performed.</summary>
    public IReadOnlyList<Evidence> LiverResections { get; init; } = [];
    /// <summary>Completed liver ablations, dated by when performed.</summary>
    public IReadOnlyList<Evidence> LiverAblations { get; init; } = [];
    /// <summary>N category of the primary.</summary>
    public IReadOnlyList<NodalStaging> NodalStagings { get; init; } = [];
    /// <summary>KRAS / NRAS results.</summary>
    public IReadOnlyList<RasResult> RasResults { get; init; } = [];
    /// <summary>Liver lesion sizes.</summary>
    public IReadOnlyList<LesionMeasurement> LesionMeasurements { get; init; } = [];
    /// <summary>Recorded liver lesion counts.</summary>
    public IReadOnlyList<LesionCount> LesionCounts { get; init; } = [];
    /// <summary>Serum CEA results.</summary>
    public IReadOnlyList<CeaResult> CeaResults { get; init; } = [];
    /// <summary>Problems met while reading the record (skipped or ambiguous data), shown to the clinician.</summary>
    public IReadOnlyList<string> DataWarnings { get; init; } = [];
}
