namespace CrlmCdsHooks.Scoring;

/// <summary>
/// Places the patient's liver history in time: the first hepatectomy, the first liver recurrence after it,
/// and whether the patient is inside the population of Liu 2021 (SPEC section 1).
/// </summary>
public sealed record RecurrenceTimeline(
    Evidence? FirstHepatectomy,
    Evidence? Recurrence,
    IReadOnlyList<NotApplicableReason> NotApplicableReasons)
{
    /// <summary>True when a first hepatectomy and a liver recurrence after it are both dated.</summary>
    public bool RecurrenceEstablished => FirstHepatectomy?.Date is not null && Recurrence?.Date is not null;

    /// <summary>Date of the first hepatectomy; only valid when <see cref="RecurrenceEstablished"/>.</summary>
    public DateOnly HepatectomyDate => FirstHepatectomy?.Date ?? throw new InvalidOperationException("No dated hepatectomy.");

    /// <summary>Date the recurrence was diagnosed; only valid when <see cref="RecurrenceEstablished"/>.</summary>
    public DateOnly RecurrenceDate => Recurrence?.Date ?? throw new InvalidOperationException("No dated recurrence.");

    /// <summary>Builds the timeline and checks every eligibility condition, reporting all that fail.</summary>
    public static RecurrenceTimeline From(ClinicalFacts facts)
    {
        var reasons = new List<NotApplicableReason>();

        if (facts.ColorectalPrimaries.Count == 0)
            reasons.Add(new("no-colorectal-primary", "no colorectal primary on record",
                "No colorectal primary cancer is on record. The model is for liver metastases of colorectal cancer; record the primary diagnosis if it exists."));

        var firstHepatectomy = Earliest(facts.LiverResections);
        if (firstHepatectomy is null)
        {
            reasons.Add(facts.LiverResections.Count == 0
                ? new("no-prior-hepatectomy", "no prior hepatectomy on record",
                    "No completed liver resection is on record. The model is for a recurrence after a curative hepatectomy.")
                : new("hepatectomy-undated", "hepatectomy date not recorded",
                    "A liver resection is on record without a full date, so a recurrence after it cannot be dated. Record the date of the procedure."));
        }

        Evidence? recurrence = null;
        if (firstHepatectomy?.Date is { } hepatectomyDate)
        {
            recurrence = Earliest(facts.LiverMetastases.Where(m => m.Date > hepatectomyDate));
            if (recurrence is null)
            {
                reasons.Add(facts.LiverMetastases.Any(m => m.Date is null)
                    ? new("recurrence-undated", "liver metastasis onset date not recorded",
                        "A liver metastasis is on record without an onset date, so it cannot be placed after the hepatectomy. Record when the recurrence was diagnosed.")
                    : new("no-recurrence-after-hepatectomy", "no liver recurrence after the hepatectomy",
                        $"No liver metastasis with an onset after the hepatectomy of {hepatectomyDate:yyyy-MM-dd} is on record."));
            }
            else if (LaterRecurrence(facts, recurrence) is { } later)
            {
                reasons.Add(new("later-recurrence", "not the first recurrence",
                    $"The liver recurrence of {recurrence.Date:yyyy-MM-dd} was treated locally and the liver recurred again ({later.Date:yyyy-MM-dd}). The model was derived for the first recurrence only."));
            }

            var extrahepatic = facts.ExtrahepaticMetastases.Where(m => m.Date is null || m.Date > hepatectomyDate).ToList();
            if (extrahepatic.Count > 0)
                reasons.Add(new("extrahepatic-disease", "extrahepatic metastasis since hepatectomy",
                    $"Metastasis outside the liver on record ({string.Join("; ", extrahepatic.Select(Describe))}). The model was derived for liver-limited recurrence; an undated extrahepatic metastasis counts because it cannot be placed before the hepatectomy."));
        }

        return new RecurrenceTimeline(firstHepatectomy, recurrence, reasons);
    }

    /// <summary>Whole calendar months from the hepatectomy to the recurrence, for display.</summary>
    public int MonthsToRecurrence()
    {
        var months = (RecurrenceDate.Year - HepatectomyDate.Year) * 12 + RecurrenceDate.Month - HepatectomyDate.Month;
        return HepatectomyDate.AddMonths(months) > RecurrenceDate ? months - 1 : months;
    }

    /// <summary>True when the recurrence came strictly before the given number of calendar months had passed.</summary>
    public bool RecurredWithin(int months) => RecurrenceDate < HepatectomyDate.AddMonths(months);

    private static Evidence? LaterRecurrence(ClinicalFacts facts, Evidence recurrence)
    {
        var localTreatment = Earliest(facts.LiverResections.Concat(facts.LiverAblations).Where(t => t.Date > recurrence.Date));
        return localTreatment is null ? null : Earliest(facts.LiverMetastases.Where(m => m.Date > localTreatment.Date));
    }

    private static Evidence? Earliest(IEnumerable<Evidence> records) =>
        records.Where(r => r.Date is not null).OrderBy(r => r.Date).FirstOrDefault();

    private static string Describe(Evidence e) =>
        e.Date is { } date ? $"{e.Description}, {date:yyyy-MM-dd}, {e.Reference}" : $"{e.Description}, undated, {e.Reference}";
}
