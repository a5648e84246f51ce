namespace CrlmCdsHooks.Scoring;

/// <summary>
/// Places the patient's liver history in time (SPEC 1 and 7.2–7.5): the index hepatectomy, the first liver recurrence
/// after it, what was done for it, and whether the patient is inside the population of Liu 2021.
/// </summary>
public sealed record RecurrenceTimeline(
    IndexTreatment? Index,
    Recurrence? Recurrence,
    TreatmentGiven? TreatmentGiven,
    IReadOnlyList<NotApplicableReason> NotApplicableReasons,
    IReadOnlyList<ReviewItem> Review,
    IReadOnlyList<string> Notes,
    IReadOnlyList<Diagnosis> RegionalNodes)
{
    /// <summary>True when an index hepatectomy and a liver recurrence after it are both dated.</summary>
    public bool RecurrenceEstablished => Index is not null && Recurrence is not null;

    /// <summary>The hepatectomy intervals count from (the last stage); only valid when <see cref="RecurrenceEstablished"/>.</summary>
    public DateOnly HepatectomyDate => Index?.End ?? throw new InvalidOperationException("No dated hepatectomy.");

    /// <summary>Date the recurrence was first seen; only valid when <see cref="RecurrenceEstablished"/>.</summary>
    public DateOnly RecurrenceDate => Recurrence?.Date ?? throw new InvalidOperationException("No dated recurrence.");

    /// <summary>Builds the timeline and checks every eligibility condition, reporting all that fail.</summary>
    public static RecurrenceTimeline From(ClinicalFacts facts)
    {
        var reasons = new List<NotApplicableReason>();
        var review = new List<ReviewItem>();
        var notes = new List<string>();
        var regionalNodes = new List<Diagnosis>();

        if (facts.ColorectalPrimaries.Count == 0)
            reasons.Add(new("no-colorectal-primary", "no colorectal primary on record",
                "No colorectal primary cancer is on record. The model is for liver metastases of colorectal cancer; record the primary diagnosis if it exists."));

        var index = IndexHepatectomyRule.Find(facts, notes);
        if (index is null)
        {
            reasons.Add(facts.LiverResections.Any(r => r.Date is null)
                ? new("hepatectomy-undated", "hepatectomy date not recorded",
                    "A liver resection is on record without a full date, so a recurrence after it cannot be dated. Record the date of the procedure.")
                : new("no-prior-hepatectomy", "no prior hepatectomy on record",
                    "No completed liver resection for colorectal cancer is on record. The model is for a recurrence after a curative hepatectomy."));
            return new RecurrenceTimeline(null, null, null, reasons, review, notes, regionalNodes);
        }
        if (index.Staged)
            notes.Add($"Index treatment: {index.Describe()}.");

        var recurrence = RecurrenceRule.Find(facts, index, review);
        TreatmentGiven? given = null;
        if (recurrence is null)
        {
            reasons.Add(facts.LiverMetastases.Any(m => m.Date is null)
                ? new("recurrence-undated", "liver metastasis onset date not recorded",
                    "A liver metastasis is on record without a date, so it cannot be placed after the hepatectomy. Record when the recurrence was diagnosed.")
                : new("no-recurrence-after-hepatectomy", "no liver recurrence after the hepatectomy",
                    $"No liver metastasis diagnosed more than {RecurrenceRule.ResectedDiseaseDays} days after the hepatectomy of {index.End:yyyy-MM-dd} is on record (findings within {RecurrenceRule.ResectedDiseaseDays} days describe the resected disease)."));
        }
        else
        {
            var local = TreatmentRule.LocalTreatmentOf(facts, recurrence);
            if (TreatmentRule.EarlierLocalTreatment(facts, index, recurrence) is { } earlier)
                reasons.Add(LaterRecurrence(
                    $"A liver resection or ablation ({earlier.Description}, {earlier.Date:yyyy-MM-dd}) after the index treatment and before this liver recurrence ({recurrence.Date:yyyy-MM-dd}) means an earlier recurrence was treated. The model was derived for the first recurrence only."));
            else if (local is not null && TreatmentRule.RecurrenceAfter(facts, local) is { } later)
                reasons.Add(LaterRecurrence(
                    $"The liver recurrence of {recurrence.Date:yyyy-MM-dd} was treated locally ({local.Description}, {local.Date:yyyy-MM-dd}) and the liver recurred again ({later.Date:yyyy-MM-dd}). The model was derived for the first recurrence only."));
            else
                given = TreatmentRule.Given(facts, recurrence, local, review);
        }

        var extrahepatic = ExtrahepaticDiseaseRule.Find(facts, index, review, regionalNodes);
        if (extrahepatic.Count > 0)
            reasons.Add(new("extrahepatic-disease", "extrahepatic disease since the hepatectomy",
                $"Extrahepatic disease (outside the liver) at or after the hepatectomy of {index.Start:yyyy-MM-dd} ({string.Join("; ", extrahepatic.Select(Describe))}). The model was derived for liver-limited recurrence; disease that cannot be placed before the hepatectomy counts."));

        return new RecurrenceTimeline(index, recurrence, given, reasons, review, notes, regionalNodes);
    }

    /// <summary>Whole calendar months from the hepatectomy to the recurrence, for display.</summary>
    public int MonthsToRecurrence()
    {
        var months = (RecurrenceDate.Year - HepatectomyDate.Year) * 12 + RecurrenceDate.Month - HepatectomyDate.Month;
        return HepatectomyDate.AddMonths(months) > RecurrenceDate ? months - 1 : months;
    }

    /// <summary>
    /// True when the recurrence came strictly before the given number of calendar months had passed; null when the imaging
    /// that found it and the recorded onset fall on different sides of that boundary (SPEC 7.3).
    /// </summary>
    public bool? RecurredWithin(int months)
    {
        var limit = HepatectomyDate.AddMonths(months);
        var byFirstSeen = RecurrenceDate < limit;
        var byOnset = Recurrence!.Onset < limit;
        return byFirstSeen == byOnset ? byFirstSeen : null;
    }

    private static NotApplicableReason LaterRecurrence(string detail) => new("later-recurrence", "not the first recurrence", detail);

    private static string Describe(Evidence e) =>
        e.Date is { } date ? $"{e.Description}, {e.Kind} of {date:yyyy-MM-dd}" : $"{e.Description}, {e.Kind}, undated";
}
