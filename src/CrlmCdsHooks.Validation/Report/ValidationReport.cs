using CrlmCdsHooks.Validation.Export;

namespace CrlmCdsHooks.Validation.Report;

/// <summary>Patients excluded for one reason (a patient with several reasons counts under each).</summary>
public sealed record ExclusionCount(string Code, string Label, int Patients);

/// <summary>The review items the engine raised (SPEC 7.7), among patients with a liver metastasis on record.</summary>
/// <param name="Patients">Patients with at least one review item.</param>
/// <param name="EligiblePatients">Of those, patients still analysed (their data may need checking).</param>
/// <param name="Reasons">The most frequent reasons, most frequent first.</param>
public sealed record ReviewSummary(int Patients, int EligiblePatients, int Items, IReadOnlyList<ReasonCount> Reasons);

/// <summary>How many times a review reason was raised.</summary>
public sealed record ReasonCount(string Reason, int Count);

/// <summary>A factor's prevalence among the analysed patients beside the derivation cohort's.</summary>
/// <param name="DerivationPercent">Null when the paper does not report it.</param>
public sealed record FactorPrevalence(string Id, string Label, int Patients, double Percent, double? DerivationPercent, string DerivationWhere);

/// <summary>Survival at a whole number of years, with its 95% interval, and the paper's figure where one compares.</summary>
public sealed record SurvivalAt(int Years, double? Percent, double? Lower, double? Upper, double? PaperPercent);

/// <summary>Patients still followed at a time.</summary>
public sealed record AtRisk(int Months, int Patients);

/// <summary>Kaplan–Meier summary of one group.</summary>
public sealed record GroupSurvival(string Group, int Patients, int Deaths, double? MedianMonths, IReadOnlyList<SurvivalAt> At, IReadOnlyList<AtRisk> NumbersAtRisk);

/// <summary>A log-rank test's result; null values when fewer than two groups hold patients.</summary>
public sealed record LogRankResult(double? ChiSquare, int DegreesOfFreedom, double? P)
{
    /// <summary>No test: fewer than two groups hold patients.</summary>
    public static LogRankResult None { get; } = new(null, 0, null);
}

/// <summary>Harrell's C with its bootstrap 95% interval; null values when no pair of patients is comparable.</summary>
/// <param name="Paper">The development cohort's C-index, where it compares (the validated score only).</param>
public sealed record CIndexResult(double? Estimate, double? Lower, double? Upper, int Replicates, double? Paper);

/// <summary>How the two groups would look with high risk at or above <see cref="ThresholdRow.Threshold"/> on one score.</summary>
public sealed record Grouping(int High, int Low, LogRankResult? LogRank, double? HighPercentAt3Years, double? LowPercentAt3Years);

/// <summary>The grouping at one threshold, on the decision score (the card's) and on the total with the treatment given.</summary>
public sealed record ThresholdRow(int Threshold, Grouping DecisionScore, Grouping TotalWithTreatmentGiven);

/// <summary>The high-risk group's median survival by treatment, beside the paper's 21 vs 15 months.</summary>
public sealed record HighRiskByTreatment(double? LocalTreatmentMedianMonths, double? NoLocalTreatmentMedianMonths, int LocalTreatment, int NoLocalTreatment,
    LogRankResult? LogRank, DerivationHighRiskMedian Paper);

/// <summary>The model the assessments came from.</summary>
public sealed record ModelInfo(string Id, string Version, string Title, decimal HighRiskThreshold, decimal NoLocalTreatmentPoints, double PaperCIndex);

/// <summary>
/// Everything <c>report.json</c> holds. The fixed interface other tools read: <c>patients</c>, <c>eligible</c>,
/// <c>exclusions</c> (reason → patients), <c>riskGroups</c> (group → patients), <c>cIndex</c> {estimate, lower, upper},
/// <c>logRank</c> {chiSquare, p}.
/// </summary>
public sealed record ValidationReport
{
    /// <summary>The model and version validated.</summary>
    public required ModelInfo Model { get; init; }
    /// <summary>Where the data came from.</summary>
    public required string Source { get; init; }
    /// <summary>When the report was made.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }
    /// <summary>What the export held besides the patients' resources.</summary>
    public required ExportContents Input { get; init; }
    /// <summary>Patients in the export.</summary>
    public required int Patients { get; init; }
    /// <summary>Patients with a liver metastasis on record.</summary>
    public required int WithCrlm { get; init; }
    /// <summary>Patients analysed.</summary>
    public required int Eligible { get; init; }
    /// <summary>Exclusion code → patients.</summary>
    public required IReadOnlyDictionary<string, int> Exclusions { get; init; }
    /// <summary>The exclusions with their words, most frequent first.</summary>
    public required IReadOnlyList<ExclusionCount> ExclusionDetails { get; init; }
    /// <summary>The review items found.</summary>
    public required ReviewSummary Review { get; init; }
    /// <summary>Risk group (decision score, as on the card) → analysed patients.</summary>
    public required IReadOnlyDictionary<string, int> RiskGroups { get; init; }
    /// <summary>Factor prevalences beside the derivation cohort's.</summary>
    public required IReadOnlyList<FactorPrevalence> Factors { get; init; }
    /// <summary>Kaplan–Meier by risk group.</summary>
    public required IReadOnlyList<GroupSurvival> SurvivalByRiskGroup { get; init; }
    /// <summary>Kaplan–Meier by the treatment given, with the paper's figures beside.</summary>
    public required IReadOnlyList<GroupSurvival> SurvivalByTreatment { get; init; }
    /// <summary>Log-rank test of the risk groups.</summary>
    public required LogRankResult LogRank { get; init; }
    /// <summary>The high-risk group by treatment, beside the paper's.</summary>
    public required HighRiskByTreatment HighRiskByTreatment { get; init; }
    /// <summary>Harrell's C of the validated score (the full total with the treatment given).</summary>
    public required CIndexResult CIndex { get; init; }
    /// <summary>Harrell's C of the decision score (local treatment assumed), for comparison.</summary>
    public required CIndexResult DecisionScoreCIndex { get; init; }
    /// <summary>The grouping at thresholds 11 to 15.</summary>
    public required IReadOnlyList<ThresholdRow> Thresholds { get; init; }
}
