namespace CrlmCdsHooks.Scoring;

/// <summary>The liver recurrence being assessed.</summary>
/// <param name="Diagnosis">The liver metastasis diagnosis of the recurrence.</param>
/// <param name="Date">When it was first seen: the onset, or the imaging that found it up to 90 days earlier.</param>
/// <param name="Onset">The diagnosis date as recorded.</param>
/// <param name="FoundOnImaging">The liver measurement that dates it, when earlier than the onset.</param>
public sealed record Recurrence(Diagnosis Diagnosis, DateOnly Date, DateOnly Onset, Evidence? FoundOnImaging);

/// <summary>SPEC 7.3: what counts as the recurrence, and its date.</summary>
public static class RecurrenceRule
{
    /// <summary>Liver evidence up to this many days after a local treatment describes the treated disease (our choice).</summary>
    public const int ResectedDiseaseDays = 30;

    /// <summary>A liver lesion first seen up to this many days after the index treatment may be residual or missed disease.</summary>
    public const int ResidualDiseaseDays = 90;

    /// <summary>A liver measurement up to this many days before the onset is the imaging that found the recurrence.</summary>
    public const int ImagingLookbackDays = 90;

    /// <summary>True when a liver finding of this date describes disease just treated (resected specimen, post-operative imaging).</summary>
    public static bool DescribesTreatedDisease(ClinicalFacts facts, DateOnly date) =>
        facts.LiverResections.Concat(facts.LiverAblations).Any(t =>
            t.Date is { } treated && date >= treated && date.DayNumber - treated.DayNumber <= ResectedDiseaseDays);

    /// <summary>Liver metastasis diagnoses after a date that are new disease, earliest first.</summary>
    public static IEnumerable<Diagnosis> NewLiverDiseaseAfter(ClinicalFacts facts, DateOnly after) =>
        facts.LiverMetastases
            .Where(m => m.Date is { } date && date > after && !DescribesTreatedDisease(facts, date))
            .OrderBy(m => m.Date);

    /// <summary>The first liver recurrence after the index treatment, with the review items its dating raises.</summary>
    public static Recurrence? Find(ClinicalFacts facts, IndexTreatment index, List<ReviewItem> review)
    {
        ReviewRecurrencesBefore(facts, index, review);
        var first = NewLiverDiseaseAfter(facts, index.End).FirstOrDefault();
        if (first is null)
        {
            // An undated liver metastasis already asks for its date; otherwise a later liver lesion needs its diagnosis.
            var unexplained = LiverMeasurementsAfter(facts, index.End).FirstOrDefault();
            if (unexplained is not null && facts.LiverMetastases.All(m => m.Date is not null))
                review.Add(ReviewItem.About(unexplained.Evidence,
                    "a liver lesion measured after the hepatectomy with no recurrence diagnosis on record: if it is a recurrence, record the diagnosis so the model can be applied"));
            ReviewUnexplainedLocalTreatment(facts, index, review);
            return null;
        }

        var onset = first.Date!.Value;
        var imaging = LiverMeasurementsAfter(facts, index.End)
            .FirstOrDefault(m => m.Evidence.Date < onset && onset.DayNumber - m.Evidence.Date!.Value.DayNumber <= ImagingLookbackDays);
        var recurrence = new Recurrence(first, imaging?.Evidence.Date ?? onset, onset, imaging?.Evidence);

        if (recurrence.Date.DayNumber - index.End.DayNumber <= ResidualDiseaseDays)
            review.Add(ReviewItem.About(first.Evidence,
                $"first seen within {ResidualDiseaseDays} days of the hepatectomy: it may be residual or missed disease rather than a recurrence (the model assumes a curative first resection)"));
        if (first.DatedByRecordedDate)
            review.Add(ReviewItem.About(first.Evidence,
                "dated only by when it was recorded, not by its onset: confirm when the recurrence was diagnosed (this date decides early recurrence)"));
        return recurrence;
    }

    /// <summary>
    /// Our rule: liver disease recorded as a recurrence, dated before the index hepatectomy and after earlier liver disease,
    /// contradicts the timeline: either a hepatectomy is missing from the record (then the recurrence assessed is a later
    /// one) or a date is wrong. A single metachronous liver metastasis recorded as a recurrence of the colorectal cancer is
    /// not listed.
    /// </summary>
    private static void ReviewRecurrencesBefore(ClinicalFacts facts, IndexTreatment index, List<ReviewItem> review)
    {
        var firstLiverDisease = facts.LiverMetastases.Select(m => m.Date).Where(d => d is not null).Min();
        foreach (var early in facts.LiverMetastases.Where(m => m.RecordedAsRecurrence && m.Date > firstLiverDisease && m.Date < index.Start))
            review.Add(ReviewItem.About(early.Evidence,
                $"recorded as a recurrence but dated before the first hepatectomy on record ({index.Start:yyyy-MM-dd}): a hepatectomy may be missing from the record (then the recurrence assessed is a later one), or a date is wrong"));
    }

    /// <summary>
    /// SPEC 7.2: a liver resection or ablation after the index treatment means a recurrence was treated, coded or not. When
    /// no recurrence is found before it (its diagnosis missing, or dated on or just after the treatment, inside the
    /// resected-disease window), "no recurrence" would be a calm wrong answer: the record needs checking.
    /// </summary>
    private static void ReviewUnexplainedLocalTreatment(ClinicalFacts facts, IndexTreatment index, List<ReviewItem> review)
    {
        var later = facts.LiverResections.Concat(facts.LiverAblations)
            .Where(t => t.Date > index.End && !index.Stages.Contains(t))
            .OrderBy(t => t.Date)
            .FirstOrDefault();
        if (later is not null)
            review.Add(ReviewItem.About(later,
                "a liver resection or ablation after the first hepatectomy with no recurrence diagnosis dated before it: a recurrence may have been treated (its diagnosis missing, or dated at the treatment), so whether this patient is at a first recurrence cannot be told; record the recurrence diagnosis with the date it was found"));
    }

    private static IEnumerable<LesionMeasurement> LiverMeasurementsAfter(ClinicalFacts facts, DateOnly after) =>
        facts.LesionMeasurements
            .Where(m => m.InLiver != false && m.Evidence.Date is { } date && date > after && !DescribesTreatedDisease(facts, date))
            .OrderBy(m => m.Evidence.Date);
}
