using CrlmCdsHooks.Scoring;
using CrlmCdsHooks.Validation.Statistics;

namespace CrlmCdsHooks.Validation.Cohort;

/// <summary>Why a patient is not in the analysis, with a stable code for <c>report.json</c> and words for the report.</summary>
public sealed record Exclusion(string Code, string Label)
{
    /// <summary>No liver metastasis on record (the hook shows no card).</summary>
    public static Exclusion NoCrlm { get; } = new("no-liver-metastasis", "no liver metastasis on record");

    /// <summary>The record says the patient died but not when.</summary>
    public static Exclusion DeathDateUnknown { get; } = new("death-date-unknown", "deceased without a date of death");

    /// <summary>A death dated before the recurrence: the record contradicts itself.</summary>
    public static Exclusion DeathBeforeRecurrence { get; } = new("death-before-recurrence", "date of death before the recurrence date");

    /// <summary>Alive, and nothing dated after the recurrence: no follow-up to analyse.</summary>
    public static Exclusion NoFollowUp { get; } = new("no-follow-up", "no dated record after the recurrence (no follow-up)");

    /// <summary>A factor the record does not establish, so the full score is unknown.</summary>
    public static Exclusion FactorUnknown(FactorResult factor) =>
        new($"factor-unknown:{factor.Id}", $"{factor.Label}: not established by the record");

    /// <summary>A condition of the model's population that the patient does not meet, as the engine names it.</summary>
    public static Exclusion NotApplicable(NotApplicableReason reason) => new(reason.Code, reason.Summary);
}

/// <summary>One patient of the cohort as the tool saw them: the engine's assessment as of the recurrence, and the outcome.</summary>
/// <param name="HasCrlm">True when a liver metastasis is on record (the hook would answer with a card).</param>
/// <param name="Exclusions">Why the patient is not analysed; empty for an eligible patient.</param>
/// <param name="DecisionScore">The engine's score assuming local treatment (the card's); null when a factor is unknown.</param>
/// <param name="ValidatedScore">The full total with the treatment actually given: <paramref name="DecisionScore"/> plus the
/// no-local-treatment points unless a liver resection or ablation followed within 90 days of the recurrence.</param>
/// <param name="LocalTreatment">A liver resection or ablation within 90 days after the recurrence date.</param>
/// <param name="Factors">The four patient factors in the model's order: present, absent, or null when unknown.</param>
/// <param name="Outcome">Days from the recurrence to death or to the last dated record; null when not analysable.</param>
/// <param name="ReviewReasons">Why each of the assessment's review items matters (SPEC 7.7).</param>
public sealed record CohortPatient(
    string Id,
    bool HasCrlm,
    IReadOnlyList<Exclusion> Exclusions,
    RiskGroup Group,
    decimal? DecisionScore,
    decimal? ValidatedScore,
    bool LocalTreatment,
    IReadOnlyList<bool?> Factors,
    SurvivalTime? Outcome,
    IReadOnlyList<string> ReviewReasons)
{
    /// <summary>True when the patient is in the survival and discrimination analysis.</summary>
    public bool Eligible => Exclusions.Count == 0;
}
