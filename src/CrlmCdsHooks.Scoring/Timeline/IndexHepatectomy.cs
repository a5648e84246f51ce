namespace CrlmCdsHooks.Scoring;

/// <summary>The index liver treatment: one hepatectomy, or the stages of one staged hepatectomy (two-stage, ALPPS).</summary>
/// <param name="Stages">The liver resections of the treatment, in date order; never empty.</param>
public sealed record IndexTreatment(IReadOnlyList<Evidence> Stages)
{
    /// <summary>The first resection: disease "at or after the index hepatectomy" counts from here.</summary>
    public Evidence FirstStage => Stages[0];

    /// <summary>The last resection: the interval to recurrence counts from here (SPEC 7.2).</summary>
    public Evidence LastStage => Stages[^1];

    /// <summary>Date of the first stage.</summary>
    public DateOnly Start => FirstStage.Date!.Value;

    /// <summary>Date of the last stage.</summary>
    public DateOnly End => LastStage.Date!.Value;

    /// <summary>True for a treatment in more than one stage.</summary>
    public bool Staged => Stages.Count > 1;

    /// <summary>The treatment in words, for the card and the app.</summary>
    public string Describe() => Staged
        ? $"staged hepatectomy in {Stages.Count} stages ({string.Join(", ", Stages.Select(s => $"{s.Date:yyyy-MM-dd}"))}); intervals count from the last stage"
        : $"{FirstStage.Description}, {Start:yyyy-MM-dd}";
}

/// <summary>
/// SPEC 7.2: the index hepatectomy is the first completed liver resection on or after the first diagnosis of colorectal
/// cancer or liver metastasis; resections close together (or with portal vein occlusion or ALPPS stage 1 between them)
/// and with no new liver lesion between them are one staged treatment.
/// </summary>
public static class IndexHepatectomyRule
{
    /// <summary>Resections at most this many days apart are one staged treatment (SPEC 7.2).</summary>
    public const int StagedIntervalDays = 120;

    /// <summary>Finds the index treatment; <paramref name="notes"/> receives the resections it set aside and why.</summary>
    public static IndexTreatment? Find(ClinicalFacts facts, List<string> notes)
    {
        var firstCancer = facts.ColorectalPrimaries.Concat(facts.LiverMetastases)
            .Select(d => d.Date).Where(d => d is not null).Min();
        var resections = facts.LiverResections.Where(r => r.Date is not null).OrderBy(r => r.Date).ToList();

        var unrelated = firstCancer is { } first ? resections.Where(r => r.Date < first).ToList() : [];
        foreach (var r in unrelated)
            notes.Add($"A liver resection of {r.Date:yyyy-MM-dd} ({r.Description}) predates any colorectal cancer or liver metastasis on record ({firstCancer:yyyy-MM-dd}) and was not taken as the index hepatectomy.");
        var related = resections.Except(unrelated).ToList();
        if (related.Count == 0)
            return null;

        var stages = new List<Evidence> { related[0] };
        foreach (var next in related.Skip(1))
        {
            if (!IsNextStage(facts, stages[^1].Date!.Value, next.Date!.Value))
                break;
            stages.Add(next);
        }
        return new IndexTreatment(stages);
    }

    private static bool IsNextStage(ClinicalFacts facts, DateOnly previous, DateOnly next)
    {
        var close = next.DayNumber - previous.DayNumber <= StagedIntervalDays;
        var prepared = facts.LiverStagingProcedures.Any(p => p.Date > previous && p.Date < next);
        var newLesion = facts.LiverMetastases.Any(m =>
            m.Date > previous.AddDays(RecurrenceRule.ResectedDiseaseDays) && m.Date < next);
        return (close || prepared) && !newLesion;
    }
}
