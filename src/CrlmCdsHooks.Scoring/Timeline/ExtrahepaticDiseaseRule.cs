namespace CrlmCdsHooks.Scoring;

/// <summary>
/// SPEC 7.5: extrahepatic disease rules the model out when it is active at or after the index hepatectomy.
/// What cannot be placed in time or status becomes a review item, never a silent yes or no.
/// </summary>
public static class ExtrahepaticDiseaseRule
{
    /// <summary>The extrahepatic disease that rules the model out; doubts go to <paramref name="review"/>.</summary>
    /// <param name="regionalNodes">Receives lymph node metastases that were the primary's regional nodes.</param>
    public static IReadOnlyList<Evidence> Find(ClinicalFacts facts, IndexTreatment index, List<ReviewItem> review,
        List<Diagnosis> regionalNodes)
    {
        var found = new List<Evidence>();
        foreach (var disease in facts.ExtrahepaticMetastases)
            Classify(disease, index, found, review);

        var primaryResected = facts.PrimaryResections.Select(p => p.Date).Where(d => d is not null).Max();
        foreach (var nodes in facts.LymphNodeMetastases)
        {
            // Up to the primary's resection they are its regional nodes; after the hepatectomy, extrahepatic. Both hold
            // for nodes of a simultaneous resection (regional) and disagree after a liver-first hepatectomy (asked).
            if (nodes.Date is { } date && primaryResected is { } resected && date <= resected && date <= index.Start)
                regionalNodes.Add(nodes);
            else if (nodes.Date is { } liverFirst && primaryResected is { } later && liverFirst <= later)
                review.Add(ReviewItem.About(nodes.Evidence,
                    "lymph node metastasis after the hepatectomy and up to a later resection of the primary (liver-first): the primary's regional nodes, or extrahepatic nodal disease? If extrahepatic, the model does not apply"));
            else if (nodes.Date is { } before && before < index.Start && nodes.State != ClinicalState.Resolved)
                review.Add(ReviewItem.About(nodes.Evidence,
                    "lymph node metastasis before the hepatectomy with no resection of the primary on record before it: the primary's regional nodes, or distant nodal disease? If distant and still present, the model does not apply"));
            else
                Classify(nodes, index, found, review);
        }

        // An M1b/M1c staging before the hepatectomy is explained when the extrahepatic disease is recorded as cleared before it.
        var clearedBefore = facts.ExtrahepaticMetastases.Any(d => d.State == ClinicalState.Resolved && d.Abated < index.Start);
        foreach (var staging in facts.DistantMetastasisStagings)
        {
            var onOrAfter = staging.Evidence.Date >= index.Start;
            if (staging.Category == DistantMetastasisCategory.BeyondLiver && onOrAfter)
                found.Add(staging.Evidence);
            else if (staging.Category == DistantMetastasisCategory.BeyondLiver && !(clearedBefore && staging.Evidence.Date is not null))
                review.Add(ReviewItem.About(staging.Evidence,
                    "M1b/M1c staging before the hepatectomy or undated: confirm the extrahepatic disease was cleared before the hepatectomy; if not, the model does not apply"));
            else if (staging.Category == DistantMetastasisCategory.Unplaced && (onOrAfter || staging.Evidence.Date is null))
                review.Add(ReviewItem.About(staging.Evidence,
                    "M1 or M1a staging (in AJCC 8, M1a includes liver-only disease): confirm whether there is disease outside the liver; if so, the model does not apply"));
        }

        // A colorectal primary diagnosed after the hepatectomy, when an earlier one is on record: a new primary or a local recurrence.
        var firstPrimary = facts.ColorectalPrimaries.Where(p => p.Date is not null).MinBy(p => p.Date);
        found.AddRange(facts.ColorectalPrimaries
            .Where(p => p != firstPrimary && p.Date >= index.Start && p.Date > firstPrimary?.Date)
            .Select(p => p.Evidence with { Description = $"{p.Evidence.Description} (new colorectal primary or local recurrence after the hepatectomy)" }));
        return found;
    }

    private static void Classify(Diagnosis disease, IndexTreatment index, List<Evidence> found, List<ReviewItem> review)
    {
        if (disease.Date >= index.Start || disease.Abated >= index.Start)
        {
            found.Add(disease.Evidence);
            return;
        }
        switch (disease.State)
        {
            case ClinicalState.Resolved when disease.Abated is not null:
                return; // cleared before the hepatectomy
            case ClinicalState.Resolved:
                review.Add(ReviewItem.About(disease.Evidence,
                    "extrahepatic disease recorded as resolved without a date: confirm it was cleared before the hepatectomy; if not, the model does not apply"));
                return;
            case ClinicalState.Unknown when disease.Date is not null:
                review.Add(ReviewItem.About(disease.Evidence,
                    "extrahepatic disease before the hepatectomy with no clinical status: confirm it was cleared; if still present, the model does not apply"));
                return;
            default:
                // Active before the hepatectomy, or undated and not shown resolved: it cannot be placed before the hepatectomy.
                found.Add(disease.Evidence);
                return;
        }
    }
}
