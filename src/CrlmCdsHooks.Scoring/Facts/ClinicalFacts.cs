namespace CrlmCdsHooks.Scoring;

/// <summary>Where a clinical fact came from, so a clinician can check it: the source record, its clinical date, and what it said.</summary>
/// <param name="Reference">The source record, e.g. <c>Observation/123</c> (for the API and the app; never shown on a card).</param>
/// <param name="Date">The clinically relevant date (onset, performed, effective); null when not recorded to the day.</param>
/// <param name="Description">What the record said, in words.</param>
public sealed record Evidence(string Reference, DateOnly? Date, string Description)
{
    /// <summary>The kind of record in a clinician's words ("diagnosis", "pathology report"), shown on cards instead of its id.</summary>
    public string Kind { get; init; } = "record";
}

/// <summary>
/// A record the service could not classify, or a value it had to use with doubt, that could change the answer (SPEC 7.7).
/// The card asks the clinician to check it.
/// </summary>
/// <param name="Reference">The record, e.g. <c>Condition/123</c>.</param>
/// <param name="Description">What it is, in words, with its kind and date.</param>
/// <param name="Reason">Why it matters, e.g. "may be extrahepatic disease: if so, the model does not apply".</param>
public sealed record ReviewItem(string Reference, string Description, string Reason)
{
    /// <summary>A review item about one record, described by its kind, date and content.</summary>
    public static ReviewItem About(Evidence e, string reason) =>
        new(e.Reference, $"{e.Kind}{(e.Date is { } d ? $" of {d:yyyy-MM-dd}" : ", undated")}: {e.Description}", reason);
}

/// <summary>Whether a recorded disease is still present, from the Condition's clinical status.</summary>
public enum ClinicalState
{
    /// <summary>active, recurrence or relapse.</summary>
    Active,
    /// <summary>inactive, remission or resolved.</summary>
    Resolved,
    /// <summary>No clinical status recorded.</summary>
    Unknown,
}

/// <summary>A recorded cancer diagnosis (primary, metastasis, recurrence).</summary>
/// <param name="State">Clinical status.</param>
/// <param name="Abated">When it resolved, if recorded.</param>
/// <param name="DatedByRecordedDate">True when <see cref="Evidence.Date"/> is the recorded date because no onset was given.</param>
public sealed record Diagnosis(Evidence Evidence, ClinicalState State = ClinicalState.Unknown, DateOnly? Abated = null,
    bool DatedByRecordedDate = false)
{
    /// <summary>The diagnosis date (onset, else recorded date).</summary>
    public DateOnly? Date => Evidence.Date;

    /// <summary>The record calls it a recurrence (clinical status recurrence or relapse, or a recurrent-disease code).</summary>
    public bool RecordedAsRecurrence { get; init; }
}

/// <summary>Gene of the RAS family that the Liu 2021 model counts.</summary>
public enum RasGene
{
    /// <summary>KRAS (HGNC:6407).</summary>
    Kras,
    /// <summary>NRAS (HGNC:7989).</summary>
    Nras,
}

/// <summary>What one reported RAS gene result says.</summary>
public enum RasCall
{
    /// <summary>A pathogenic or likely pathogenic variant, or a mutation reported present.</summary>
    Mutation,
    /// <summary>No mutation found: reported absent, or only benign / likely benign variants.</summary>
    NoMutation,
    /// <summary>Only a variant of uncertain significance.</summary>
    UncertainSignificance,
}

/// <summary>One reported RAS gene result.</summary>
public sealed record RasResult(RasGene Gene, RasCall Call, Evidence Evidence);

/// <summary>The nodal (N) category of the colorectal primary.</summary>
/// <param name="NodePositive">True for N1–N2 (any subcategory), false for N0.</param>
/// <param name="Category">The category as recorded, e.g. <c>pN1a</c>.</param>
/// <param name="Pathological">True for pathological staging (pN, ypN), false for clinical.</param>
public sealed record NodalStaging(bool NodePositive, string Category, bool Pathological, Evidence Evidence);

/// <summary>How far a recorded M category places distant disease.</summary>
public enum DistantMetastasisCategory
{
    /// <summary>M1b or M1c: disease beyond one organ or in the peritoneum, so beyond the liver.</summary>
    BeyondLiver,
    /// <summary>M1 or M1a: possibly the liver alone (AJCC 8 M1a includes liver-only disease).</summary>
    Unplaced,
}

/// <summary>A recorded M category (distant metastasis) staging.</summary>
public sealed record DistantMetastasisStaging(DistantMetastasisCategory Category, Evidence Evidence);

/// <summary>A measured lesion.</summary>
/// <param name="LargestDiameterMm">Longest dimension in millimetres.</param>
/// <param name="LesionKey">Identifies the lesion (e.g. its BodyStructure) so repeated measurements count once; the source reference when nothing better is recorded.</param>
/// <param name="InLiver">True in the liver, false outside it, null when the record does not say.</param>
public sealed record LesionMeasurement(decimal LargestDiameterMm, string LesionKey, bool? InLiver, Evidence Evidence)
{
    /// <summary>True for a preliminary result (registered or preliminary status).</summary>
    public bool Preliminary { get; init; }
}

/// <summary>A recorded number of liver lesions.</summary>
public sealed record LesionCount(int Count, Evidence Evidence);

/// <summary>A serum CEA result in ng/mL.</summary>
public sealed record CeaResult(decimal NanogramsPerMillilitre, Evidence Evidence);

/// <summary>
/// Everything the models read about one patient, already classified from the record and each tied to its source.
/// Placing them in time (the index hepatectomy, the recurrence, what was treated) is the timeline's job.
/// </summary>
public sealed record ClinicalFacts
{
    /// <summary>Colorectal primary cancer diagnoses.</summary>
    public IReadOnlyList<Diagnosis> ColorectalPrimaries { get; init; } = [];
    /// <summary>Liver metastasis diagnoses (and recurrent disease with a liver site).</summary>
    public IReadOnlyList<Diagnosis> LiverMetastases { get; init; } = [];
    /// <summary>Metastases or recurrent disease at a site other than the liver (lymph nodes apart).</summary>
    public IReadOnlyList<Diagnosis> ExtrahepaticMetastases { get; init; } = [];
    /// <summary>Secondary neoplasms of lymph nodes: the primary's regional nodes or extrahepatic disease, by date.</summary>
    public IReadOnlyList<Diagnosis> LymphNodeMetastases { get; init; } = [];
    /// <summary>Completed liver resections (hepatectomies), dated by when performed.</summary>
    public IReadOnlyList<Evidence> LiverResections { get; init; } = [];
    /// <summary>Completed liver ablations, dated by when performed.</summary>
    public IReadOnlyList<Evidence> LiverAblations { get; init; } = [];
    /// <summary>Portal vein embolisation or ligation, ALPPS first stage: they join resections into one staged treatment.</summary>
    public IReadOnlyList<Evidence> LiverStagingProcedures { get; init; } = [];
    /// <summary>Liver-directed therapy that is not the model's local treatment (SBRT, TACE, radioembolisation, HAI).</summary>
    public IReadOnlyList<Evidence> OtherLiverDirectedTherapies { get; init; } = [];
    /// <summary>Resections of the colorectal primary.</summary>
    public IReadOnlyList<Evidence> PrimaryResections { get; init; } = [];
    /// <summary>N category of the primary.</summary>
    public IReadOnlyList<NodalStaging> NodalStagings { get; init; } = [];
    /// <summary>M category stagings that say something about disease outside the liver.</summary>
    public IReadOnlyList<DistantMetastasisStaging> DistantMetastasisStagings { get; init; } = [];
    /// <summary>KRAS / NRAS results.</summary>
    public IReadOnlyList<RasResult> RasResults { get; init; } = [];
    /// <summary>Lesion sizes.</summary>
    public IReadOnlyList<LesionMeasurement> LesionMeasurements { get; init; } = [];
    /// <summary>Recorded liver lesion counts.</summary>
    public IReadOnlyList<LesionCount> LesionCounts { get; init; } = [];
    /// <summary>Serum CEA results.</summary>
    public IReadOnlyList<CeaResult> CeaResults { get; init; } = [];
    /// <summary>Records that could change the answer but could not be classified (SPEC 7.7).</summary>
    public IReadOnlyList<ReviewItem> Review { get; init; } = [];
    /// <summary>Problems met while reading the record (skipped or ambiguous data), shown to the clinician.</summary>
    public IReadOnlyList<string> DataWarnings { get; init; } = [];
}
