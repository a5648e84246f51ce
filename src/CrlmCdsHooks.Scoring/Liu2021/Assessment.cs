namespace CrlmCdsHooks.Scoring;

/// <summary>The risk groups an assessment can end in.</summary>
public enum RiskGroup
{
    /// <summary>Total below the threshold whatever the unknown factors are.</summary>
    Low,
    /// <summary>Total at or above the threshold whatever the unknown factors are.</summary>
    High,
    /// <summary>Unknown factors could put the total on either side of the threshold.</summary>
    Indeterminate,
    /// <summary>A CRLM patient outside the population the model was derived from.</summary>
    NotApplicable,
    /// <summary>No liver metastasis on record: the model has nothing to say and no card is shown.</summary>
    NoCrlm,
}

/// <summary>What a single item of a score was found to be, with the records it was read from.</summary>
/// <param name="Present">True, false, or null when the record does not tell.</param>
/// <param name="Value">The value in words, as a clinician would check it.</param>
public sealed record Finding(bool? Present, string Value, IReadOnlyList<Evidence> Evidence, IReadOnlyList<string> Notes)
{
    /// <summary>A finding the record does not establish.</summary>
    public static Finding Unknown(string value, params string[] notes) => new(null, value, [], notes);
}

/// <summary>One factor of the core model with its contribution.</summary>
/// <param name="Points">Points contributed: the factor's points when present, 0 when absent, null when unknown.</param>
/// <param name="PointsIfPresent">Points the factor carries when present.</param>
/// <param name="Assumed">True when <paramref name="Present"/> is a what-if assumption, not what the record says.</param>
public sealed record FactorResult(string Id, string Label, bool? Present, decimal? Points, decimal PointsIfPresent,
    string Value, IReadOnlyList<Evidence> Evidence, IReadOnlyList<string> Notes, bool Assumed = false);

/// <summary>Lowest and highest totals the unknown factors allow.</summary>
public sealed record ScoreRange(decimal Min, decimal Max);

/// <summary>A condition of the model's population that this patient does not meet.</summary>
/// <param name="Code">Stable machine code.</param>
/// <param name="Summary">A few words, for a card summary.</param>
/// <param name="Detail">The full explanation and what would change it.</param>
public sealed record NotApplicableReason(string Code, string Summary, string Detail);

/// <summary>An input the record lacks.</summary>
/// <param name="Id">The factor or input id.</param>
/// <param name="Needed">What is needed, in a few words.</param>
/// <param name="ChangesRiskGroup">True when knowing it could change the risk group.</param>
/// <param name="Detail">What to do and how the result would change.</param>
/// <param name="TestingAdvised">True when ordering a test would supply it (not when a result on record needs discussion instead).</param>
public sealed record MissingInput(string Id, string Needed, bool ChangesRiskGroup, string Detail, bool TestingAdvised);

/// <summary>What the assessment suggests doing.</summary>
public enum RecommendationKind
{
    /// <summary>Repeat local treatment with radical intent (low risk).</summary>
    LocalTreatment,
    /// <summary>MDT discussion; systemic therapy first is a reasonable option (high risk).</summary>
    SystemicTherapyFirst,
    /// <summary>The risk group cannot be settled until the missing data are recorded.</summary>
    CompleteData,
    /// <summary>The model does not apply; nothing is recommended from it.</summary>
    NotAssessed,
    /// <summary>The recurrence has already been treated: the risk group is prognostic context only (SPEC 7.4).</summary>
    AlreadyTreated,
}

/// <summary>The recommendation with its reasons and evidence.</summary>
/// <param name="Summary">One short sentence.</param>
/// <param name="Modalities">Local treatments that fit (<c>repeat-hepatectomy</c>, <c>percutaneous-rfa</c>); empty when none is recommended.</param>
/// <param name="ConsiderPreoperativeChemotherapy">True when the paper's preoperative chemotherapy rule applies.</param>
/// <param name="Details">Each statement with its source and, where it is one, its label as an interpretation.</param>
public sealed record Recommendation(RecommendationKind Kind, string Summary, IReadOnlyList<string> Modalities,
    bool ConsiderPreoperativeChemotherapy, IReadOnlyList<string> Details);

/// <summary>The model an assessment came from.</summary>
public sealed record ModelReference(string Id, string Version, string Title, string Citation, string Url);

/// <summary>One patient's assessment by the core model, with the supporting scores beside it.</summary>
public sealed record Assessment
{
    /// <summary>The model and version that produced this result.</summary>
    public required ModelReference Model { get; init; }
    /// <summary>The risk group.</summary>
    public required RiskGroup RiskGroup { get; init; }
    /// <summary>Total assuming local treatment is given; null when a factor is unknown or the model does not apply.</summary>
    public decimal? Score { get; init; }
    /// <summary>Total without local treatment, for context; null when <see cref="Score"/> is.</summary>
    public decimal? ScoreWithoutLocalTreatment { get; init; }
    /// <summary>Range of the total (assuming local treatment) that the unknown factors allow; null when not scored.</summary>
    public ScoreRange? ScoreRange { get; init; }
    /// <summary>The high-risk threshold.</summary>
    public required decimal Threshold { get; init; }
    /// <summary>Points added when no local treatment is given.</summary>
    public required decimal NoLocalTreatmentPoints { get; init; }
    /// <summary>The four patient factors; empty when the model does not apply.</summary>
    public IReadOnlyList<FactorResult> Factors { get; init; } = [];
    /// <summary>Why the model does not apply; empty when it does.</summary>
    public IReadOnlyList<NotApplicableReason> NotApplicableReasons { get; init; } = [];
    /// <summary>Inputs the record lacks.</summary>
    public IReadOnlyList<MissingInput> Missing { get; init; } = [];
    /// <summary>The first hepatectomy the recurrence is dated from.</summary>
    public Evidence? FirstHepatectomy { get; init; }
    /// <summary>The liver recurrence being assessed.</summary>
    public Evidence? Recurrence { get; init; }
    /// <summary>What to do.</summary>
    public required Recommendation Recommendation { get; init; }
    /// <summary>Fong, Kobayashi and conversion context; null when the model does not apply.</summary>
    public SupportingScores? SupportingScores { get; init; }
    /// <summary>Limits of the evidence that the clinician must see with the result.</summary>
    public required IReadOnlyList<string> Caveats { get; init; }
    /// <summary>Records the clinician must check before trusting the result (SPEC 7.7); the card is a warning when not empty.</summary>
    public IReadOnlyList<ReviewItem> Review { get; init; } = [];
    /// <summary>Problems met while reading the record, and what the reading set aside.</summary>
    public IReadOnlyList<string> DataWarnings { get; init; } = [];
    /// <summary>Factors whose value is a what-if assumption rather than the record: a hypothetical result when not empty.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];
}
