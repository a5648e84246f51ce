using CrlmCdsHooks.Scoring;
using Evidence = CrlmCdsHooks.Scoring.Evidence;

namespace CrlmCdsHooks.Fhir;

/// <summary>What the mapper has read so far; one per resource, merged only when the whole resource was read.</summary>
/// <param name="dates">How this mapping reads dates (the latest plausible day).</param>
internal sealed class MappingState(RecordDates dates)
{
    public RecordDates Dates { get; } = dates;

    public List<Diagnosis> Primaries { get; } = [];
    public List<Diagnosis> LiverMetastases { get; } = [];
    public List<Diagnosis> Extrahepatic { get; } = [];
    public List<Diagnosis> LymphNodes { get; } = [];
    public List<Evidence> Resections { get; } = [];
    public List<Evidence> Ablations { get; } = [];
    public List<Evidence> StagingProcedures { get; } = [];
    public List<Evidence> OtherTherapies { get; } = [];
    public List<Evidence> PrimaryResections { get; } = [];
    public List<NodalStaging> Nodal { get; } = [];
    public List<DistantMetastasisStaging> DistantStagings { get; } = [];
    public List<RasResult> Ras { get; } = [];
    public List<LesionMeasurement> Lesions { get; } = [];
    public List<LesionCount> LesionCounts { get; } = [];
    public List<CeaResult> Cea { get; } = [];
    public List<ReviewItem> Review { get; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>Dates of this resource that could not be used; review items if the resource reads as a clinical fact.</summary>
    public List<ReviewItem> UnusableDates { get; } = [];

    /// <summary>True when the resource gave the models something to read, or something to review.</summary>
    public bool ReadsAsClinicalFact =>
        Primaries.Count + LiverMetastases.Count + Extrahepatic.Count + LymphNodes.Count + Resections.Count + Ablations.Count
        + StagingProcedures.Count + OtherTherapies.Count + PrimaryResections.Count + Nodal.Count + DistantStagings.Count
        + Ras.Count + Lesions.Count + LesionCounts.Count + Cea.Count + Review.Count > 0;

    /// <summary>Where the patient's conditions and body structures are, for the focus of a measurement.</summary>
    public LesionSites Sites { get; } = new();

    /// <summary>Empties every list, keeping their storage, so one state can read resource after resource.</summary>
    public void Clear()
    {
        foreach (var list in AllLists())
            list.Clear();
    }

    private System.Collections.IList[]? _allLists;

    // Stryker disable once all : equivalent, a cache of the same lists
    private System.Collections.IList[] AllLists() => _allLists ??=
        [Primaries, LiverMetastases, Extrahepatic, LymphNodes, Resections, Ablations, StagingProcedures, OtherTherapies, PrimaryResections,
            Nodal, DistantStagings, Ras, Lesions, LesionCounts, Cea, Review, Warnings, UnusableDates];

    /// <summary>Takes what one resource gave; most of its lists are empty.</summary>
    public void Add(MappingState other)
    {
        Append(Primaries, other.Primaries);
        Append(LiverMetastases, other.LiverMetastases);
        Append(Extrahepatic, other.Extrahepatic);
        Append(LymphNodes, other.LymphNodes);
        Append(Resections, other.Resections);
        Append(Ablations, other.Ablations);
        Append(StagingProcedures, other.StagingProcedures);
        Append(OtherTherapies, other.OtherTherapies);
        Append(PrimaryResections, other.PrimaryResections);
        Append(Nodal, other.Nodal);
        Append(DistantStagings, other.DistantStagings);
        Append(Ras, other.Ras);
        Append(Lesions, other.Lesions);
        Append(LesionCounts, other.LesionCounts);
        Append(Cea, other.Cea);
        Append(Review, other.Review);
        Append(Warnings, other.Warnings);
    }

    private static void Append<T>(List<T> into, List<T> from)
    {
        // Stryker disable once Equality : equivalent, adding an empty list adds nothing
        if (from.Count > 0)
            into.AddRange(from);
    }

    public ClinicalFacts ToFacts() => new()
    {
        ColorectalPrimaries = Primaries,
        LiverMetastases = LiverMetastases,
        ExtrahepaticMetastases = Extrahepatic,
        LymphNodeMetastases = LymphNodes,
        LiverResections = Resections,
        LiverAblations = Ablations,
        LiverStagingProcedures = StagingProcedures,
        OtherLiverDirectedTherapies = OtherTherapies,
        PrimaryResections = PrimaryResections,
        NodalStagings = Nodal,
        DistantMetastasisStagings = DistantStagings,
        RasResults = Ras,
        LesionMeasurements = Lesions,
        LesionCounts = LesionCounts,
        CeaResults = Cea,
        Review = Review,
        DataWarnings = Warnings,
    };
}

/// <summary>Which records place disease in or outside the liver, by reference (<c>Type/id</c>, relative or absolute).</summary>
internal sealed class LesionSites
{
    private readonly Dictionary<string, bool> _inLiver = new(StringComparer.Ordinal);

    public void Place(string reference, bool inLiver) => _inLiver[ResourceReference.TypeAndId(reference)] = inLiver;

    /// <summary>True in the liver, false outside it, null when the reference names nothing placed.</summary>
    public bool? Of(string? reference) =>
        reference is not null && _inLiver.TryGetValue(ResourceReference.TypeAndId(reference), out var inLiver) ? inLiver : null;
}
