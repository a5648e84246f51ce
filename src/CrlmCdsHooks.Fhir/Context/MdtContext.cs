using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// What a tumour board asks for beside the assessment, read from the record where it is coded: lesion sizes, tumour
/// markers over time, molecular results, systemic therapy. Context only: nothing here changes a score. Every item names
/// its source record and date.
/// </summary>
public sealed record MdtContext
{
    /// <summary>The disease and its treatments as the models read them (primary, resections, ablations, staging, other liver-directed therapy), oldest first.</summary>
    public IReadOnlyList<TimelineEvent> TimelineEvents { get; init; } = [];
    /// <summary>Liver lesion sizes, oldest first (the sizes the models read, with the site where coded).</summary>
    public IReadOnlyList<LesionSize> LesionSizes { get; init; } = [];
    /// <summary>Recorded numbers of liver lesions, oldest first.</summary>
    public IReadOnlyList<LesionCount> LesionCounts { get; init; } = [];
    /// <summary>CEA and CA 19-9, each in one unit, oldest first; a marker without results is absent.</summary>
    public IReadOnlyList<MarkerSeries> Markers { get; init; } = [];
    /// <summary>KRAS/NRAS (as the model reads them), BRAF and microsatellite instability results, oldest first.</summary>
    public IReadOnlyList<MolecularResult> Molecular { get; init; } = [];
    /// <summary>Systemic anticancer therapy by agent class, oldest first.</summary>
    public IReadOnlyList<SystemicTherapy> SystemicTherapy { get; init; } = [];
    /// <summary>Medication records read that name none of the agent classes (other medicines, or agents coded in a way not recognised).</summary>
    public int OtherMedicationRecords { get; init; }
    /// <summary>Recorded resection margins, oldest first.</summary>
    public IReadOnlyList<Evidence> ResectionMargins { get; init; } = [];
    /// <summary>Records left out of the context because they could not be read, each with why.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A dated step of the disease or its treatment, for the MDT timeline.</summary>
/// <param name="Role">What it was, in words, e.g. "Liver resection".</param>
public sealed record TimelineEvent(string Role, Evidence Evidence);

/// <summary>A liver lesion's longest dimension.</summary>
/// <param name="Site">The lobe or segment as coded; null when the record names none.</param>
public sealed record LesionSize(decimal Millimetres, string? Site, bool Preliminary, Evidence Evidence);

/// <summary>One tumour marker's results in one unit.</summary>
/// <param name="NotCharted">Results in another unit or without a number: listed, not drawn.</param>
public sealed record MarkerSeries(string Marker, string Unit, IReadOnlyList<MarkerValue> Values, IReadOnlyList<Evidence> NotCharted);

/// <summary>A tumour marker result.</summary>
public sealed record MarkerValue(decimal Value, Evidence Evidence);

/// <summary>A molecular result as reported.</summary>
/// <param name="Test">The gene or test, e.g. KRAS, BRAF, microsatellite instability.</param>
/// <param name="Result">What the record reports, in words.</param>
/// <param name="Variant">The reported DNA or amino acid change, when coded.</param>
public sealed record MolecularResult(string Test, string Result, string? Variant, Evidence Evidence);

/// <summary>A medication record of a systemic agent an MDT discusses.</summary>
/// <param name="AgentClasses">Each class the medication belongs to (a combined product may belong to several).</param>
/// <param name="Status">The record's status as written (active, completed, stopped…).</param>
public sealed record SystemicTherapy(IReadOnlyList<string> AgentClasses, string Status, Evidence Evidence);
