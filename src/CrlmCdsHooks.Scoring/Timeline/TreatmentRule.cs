namespace CrlmCdsHooks.Scoring;

/// <summary>What was done for the recurrence already, when the decision the model informs has passed (SPEC 7.4).</summary>
/// <param name="Treatment">The local treatment (resection or ablation), or the other liver-directed therapy.</param>
/// <param name="IsLocalTreatment">True for the model's local treatment (repeat resection or ablation).</param>
public sealed record TreatmentGiven(Evidence Treatment, bool IsLocalTreatment);

/// <summary>SPEC 7.2 (last rule) and 7.4: earlier treated recurrences, treated and later recurrences.</summary>
public static class TreatmentRule
{
    /// <summary>
    /// A liver resection or ablation after the index treatment and before this recurrence: an earlier recurrence was
    /// treated, coded or not.
    /// </summary>
    public static Evidence? EarlierLocalTreatment(ClinicalFacts facts, IndexTreatment index, Recurrence recurrence) =>
        // Stryker disable once Equality : equivalent, a recurrence dated on a local treatment's day is in its treated-disease window and never found
        LocalTreatments(facts).FirstOrDefault(t => t.Date > index.End && t.Date < recurrence.Date);

    /// <summary>The first local treatment on or after the recurrence date.</summary>
    public static Evidence? LocalTreatmentOf(ClinicalFacts facts, Recurrence recurrence) =>
        // Stryker disable once Equality : equivalent, a recurrence dated on a local treatment's day is in its treated-disease window and never found
        LocalTreatments(facts).FirstOrDefault(t => t.Date >= recurrence.Date);

    /// <summary>A new liver recurrence after the local treatment of this one: a later recurrence.</summary>
    public static Diagnosis? RecurrenceAfter(ClinicalFacts facts, Evidence localTreatment) =>
        RecurrenceRule.NewLiverDiseaseAfter(facts, localTreatment.Date!.Value).FirstOrDefault();

    /// <summary>What was given for the recurrence already, if anything; review items for therapy the model does not cover.</summary>
    public static TreatmentGiven? Given(ClinicalFacts facts, Recurrence recurrence, Evidence? localTreatment, List<ReviewItem> review)
    {
        var other = facts.OtherLiverDirectedTherapies.Where(t => t.Date >= recurrence.Date).MinBy(t => t.Date);
        if (other is not null)
            review.Add(ReviewItem.About(other,
                "liver-directed therapy after the recurrence that is not the model's local treatment (repeat resection or RFA): the treatment decision the model informs has passed"));
        if (localTreatment is null && other is null && recurrence.Diagnosis.State == ClinicalState.Resolved)
            review.Add(ReviewItem.About(recurrence.Diagnosis.Evidence,
                "the recurrence is recorded as resolved but no treatment of it is on record: confirm whether it was treated"));
        return localTreatment is not null ? new TreatmentGiven(localTreatment, true)
            : other is not null ? new TreatmentGiven(other, false)
            : null;
    }

    private static IEnumerable<Evidence> LocalTreatments(ClinicalFacts facts) =>
        facts.LiverResections.Concat(facts.LiverAblations).Where(t => t.Date is not null).OrderBy(t => t.Date);
}
