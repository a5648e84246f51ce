namespace CrlmCdsHooks.Scoring;

/// <summary>One item of a supporting score.</summary>
public sealed record ScoreItem(string Id, string Label, Finding Finding);

/// <summary>A count of present items with the range the unknown items allow.</summary>
/// <param name="Min">Items known present.</param>
/// <param name="Max">Items known present plus items unknown.</param>
public sealed record ItemCount(int Min, int Max, IReadOnlyList<ScoreItem> Items)
{
    /// <summary>Counts the items.</summary>
    public static ItemCount Of(params ScoreItem[] items) =>
        new(items.Count(i => i.Finding.Present == true), items.Count(i => i.Finding.Present != false), items);

    /// <summary>The count when no item is unknown.</summary>
    public int? Exact => Min == Max ? Min : null;
}

/// <summary>Fong's clinical risk score applied to the recurrence (an adaptation, labelled as such).</summary>
/// <param name="Group"><c>low</c> (0–2), <c>high</c> (3–5) or <c>indeterminate</c>.</param>
public sealed record FongClinicalRiskScore(ItemCount Score, string Group, string Label, string ReportedSurvival);

/// <summary>Kobayashi 2024 poor prognostic factors at recurrence and their reading.</summary>
/// <param name="Reading"><c>resectable</c>, <c>borderline-resectable</c> or <c>undetermined</c>.</param>
public sealed record KobayashiReading(ItemCount Factors, string Reading, string Label, string ReportedSurvival);

/// <summary>Conversion-therapy context for initially unresectable disease (seed 002, Peking University People's Hospital).</summary>
public sealed record ConversionContext(Finding LargestUnder6Cm, Finding AtMostFourLesions, string Text);

/// <summary>Scores and context shown beside the core model (SPEC section 5).</summary>
public sealed record SupportingScores(FongClinicalRiskScore Fong, KobayashiReading Kobayashi, ConversionContext Conversion, IReadOnlyList<string> Context)
{
    /// <summary>Computes every supporting score of an established recurrence.</summary>
    public static SupportingScores From(Findings findings)
    {
        var (lesionCount, countSource) = findings.RecurrentLesionCount();

        var fong = ItemCount.Of(
            new("node-positive-primary", "Node-positive primary", findings.NodePositivePrimary()),
            new("disease-free-interval-under-12-months", "Disease-free interval < 12 months", findings.RecurrenceWithinMonths(12)),
            new("more-than-one-tumour", "More than one tumour", CountIs(lesionCount, countSource, n => n > 1)),
            new("largest-tumour-over-5cm", "Largest tumour > 5 cm", findings.LargestLesionOver(50)),
            new("cea-over-200", "CEA > 200 ng/mL", findings.CeaAbove(200)));
        var kobayashi = ItemCount.Of(
            new("four-or-more-tumours", "4 or more recurrent tumours", CountIs(lesionCount, countSource, n => n >= 4)),
            new("tumour-5cm-or-larger", "Tumour 5 cm or larger", findings.LargestLesionIs(size => size >= 50)),
            new("extrahepatic-disease", "Extrahepatic disease", NoExtrahepaticDiseaseRecorded));

        return new SupportingScores(
            new FongClinicalRiskScore(fong, FongGroup(fong),
                "Fong clinical risk score (Fong 1999), adapted to the recurrence: interval from the first hepatectomy, recurrent lesions, latest CEA since the hepatectomy. Adaptation, not validated at recurrence. Xue et al. (BMC Cancer 2025) define the interval item as <= 12 months or synchronous disease; < 12 months is used here.",
                "Reported 5-year survival by score after first resection (Fong 1999, secondary source, not at recurrence): 0: 60%, 1: 44%, 2: 40%, 3: 20%, 4: 25%, 5: 14%."),
            new KobayashiReading(kobayashi, KobayashiGroup(kobayashi),
                "Kobayashi et al., Ann Surg Oncol 2024: poor prognostic factors at recurrence. Reading as resectable (no factor) or borderline resectable (1 or more) assumes technically resectable disease and is an interpretation; the abstract does not give the exact grouping rule.",
                "Reported 5-year OS: resectable 67.3%, borderline resectable 30.8%, unresectable 2.6% (abstract; starting point not stated). In borderline patients without adjuvant chemotherapy after the first resection, preoperative chemotherapy was associated with better outcome (p = 0.049)."),
            new ConversionContext(
                findings.LargestLesionIs(size => size < 60),
                CountIs(lesionCount, countSource, n => n <= 4),
                "Only if the disease is judged unresectable: in initially unresectable CRLM (Peking University People's Hospital series, 156 patients, univariate analysis, not recurrence), conversion therapy succeeded in 50% with largest lesion < 6 cm vs 18.2% at >= 6 cm, and in 50% with <= 4 lesions vs 15% with > 4."),
            [
                "After a first liver metastasectomy for CRLM (Imam Khomeini Hospital series, Tehran, 248 patients): rectal primary, major hepatectomy and an R1 margin (< 1 mm) were associated with worse overall survival; size >= 6 cm was borderline (p = 0.052). A 1 mm margin was sufficient.",
                "In synchronous CRLM (Xue et al., BMC Cancer 2025): full-course or adjuvant chemotherapy was associated with better overall survival than neoadjuvant-only; intraoperative RFA and non-R0 resection with worse overall survival.",
            ]);
    }

    private static Finding CountIs(int? count, Finding source, Func<int, bool> test) =>
        count is { } n ? source with { Present = test(n) } : source;

    /// <summary>Scores are computed only where the model applies, so no extrahepatic disease is on record: an absence, not a finding.</summary>
    private static readonly Finding NoExtrahepaticDiseaseRecorded =
        new(false, "no extrahepatic disease recorded: confirm with current staging imaging (CT of chest, abdomen and pelvis; liver MRI)", [], []);

    private static string FongGroup(ItemCount score) =>
        score.Max <= 2 ? "low" : score.Min >= 3 ? "high" : "indeterminate";

    private static string KobayashiGroup(ItemCount factors) =>
        factors.Max == 0 ? "resectable" : factors.Min >= 1 ? "borderline-resectable" : "undetermined";
}
