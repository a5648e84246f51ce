using CrlmCdsHooks.Scoring;
using CrlmCdsHooks.Validation.Export;
using CrlmCdsHooks.Validation.Report;
using CrlmCdsHooks.Validation.Statistics;

namespace CrlmCdsHooks.Validation.Cohort;

/// <summary>A Kaplan–Meier curve to draw, with its group's name.</summary>
public sealed record NamedCurve(string Group, KaplanMeier Curve);

/// <summary>The numbers of the report and the curves the HTML draws.</summary>
public sealed record CohortAnalysisResult(ValidationReport Report, IReadOnlyList<NamedCurve> ByRiskGroup, IReadOnlyList<NamedCurve> ByTreatment);

/// <summary>Settings of the statistics.</summary>
/// <param name="BootstrapReplicates">Resamples for the C-index interval.</param>
/// <param name="Seed">Makes the bootstrap reproducible.</param>
public sealed record AnalysisSettings(int BootstrapReplicates = 1000, int Seed = 20211327);

/// <summary>Turns the patients the tool read into the report's numbers: the flow, the groups, survival and discrimination.</summary>
public static class CohortAnalysis
{
    /// <summary>Days per month and per year, for times reported in months and years.</summary>
    public const double DaysPerMonth = 365.25 / 12, DaysPerYear = 365.25;

    private static readonly int[] Years = [1, 3, 5];
    private static readonly int[] AtRiskMonths = [0, 12, 24, 36, 48, 60];

    /// <summary>Analyses the cohort.</summary>
    public static CohortAnalysisResult Analyse(IReadOnlyList<CohortPatient> patients, ExportContents input, string source,
        ModelDefinition model, AnalysisSettings settings)
    {
        var derivation = DerivationCohort.Liu2021;
        var eligible = patients.Where(p => p.Eligible).ToList();
        var outcomes = eligible.Select(p => p.Outcome!.Value).ToList();

        var byGroup = Split(eligible, p => p.Group == RiskGroup.High ? "high" : "low", "low", "high");
        var byTreatment = Split(eligible, p => p.LocalTreatment ? "local-treatment" : "no-local-treatment", "local-treatment", "no-local-treatment");
        var highRisk = eligible.Where(p => p.Group == RiskGroup.High).ToList();
        var highByTreatment = Split(highRisk, p => p.LocalTreatment ? "local-treatment" : "no-local-treatment", "local-treatment", "no-local-treatment");

        var exclusions = patients.SelectMany(p => p.Exclusions)
            .GroupBy(e => e.Code)
            .Select(g => new ExclusionCount(g.Key, g.First().Label, g.Count()))
            .OrderByDescending(e => e.Patients).ThenBy(e => e.Code, StringComparer.Ordinal)
            .ToList();
        var withReview = patients.Where(p => p.HasCrlm && p.ReviewReasons.Count > 0).ToList();

        var report = new ValidationReport
        {
            Model = new ModelInfo(model.Id, model.Version, model.Title, model.HighRiskThreshold, model.NoLocalTreatment.Points, (double)model.CIndex),
            Source = source,
            GeneratedAt = DateTimeOffset.UtcNow,
            Input = input,
            Patients = patients.Count,
            WithCrlm = patients.Count(p => p.HasCrlm),
            Eligible = eligible.Count,
            Exclusions = exclusions.ToDictionary(e => e.Code, e => e.Patients),
            ExclusionDetails = exclusions,
            Review = new ReviewSummary(withReview.Count, withReview.Count(p => p.Eligible), withReview.Sum(p => p.ReviewReasons.Count),
                [.. withReview.SelectMany(p => p.ReviewReasons).GroupBy(r => r).Select(g => new ReasonCount(g.Key, g.Count()))
                    .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).Take(10)]),
            RiskGroups = byGroup.ToDictionary(g => g.Name, g => g.Subjects.Count),
            Factors = Prevalences(eligible, model, derivation),
            SurvivalByRiskGroup = [.. byGroup.Select(g => Summary(g.Name, g.Subjects, paper: null))],
            SurvivalByTreatment = [.. byTreatment.Select(g => Summary(g.Name, g.Subjects, derivation.SurvivalByTreatment.Single(s => s.Group == g.Name)))],
            LogRank = LogRank(byGroup) ?? LogRankResult.None,
            HighRiskByTreatment = new HighRiskByTreatment(
                Months(new KaplanMeier(highByTreatment[0].Subjects).Median), Months(new KaplanMeier(highByTreatment[1].Subjects).Median),
                highByTreatment[0].Subjects.Count, highByTreatment[1].Subjects.Count, LogRank(highByTreatment), derivation.HighRiskMedianMonths),
            CIndex = Concordance(outcomes, [.. eligible.Select(p => (double)p.ValidatedScore!.Value)], settings, (double)model.CIndex),
            DecisionScoreCIndex = Concordance(outcomes, [.. eligible.Select(p => (double)p.DecisionScore!.Value)], settings, paper: null),
            Thresholds = [.. Enumerable.Range(11, 5).Select(t => new ThresholdRow(t,
                Grouping(eligible, p => p.DecisionScore!.Value >= t), Grouping(eligible, p => p.ValidatedScore!.Value >= t)))],
        };
        return new CohortAnalysisResult(report,
            [.. byGroup.Select(g => new NamedCurve(g.Name, new KaplanMeier(g.Subjects)))],
            [.. byTreatment.Select(g => new NamedCurve(g.Name, new KaplanMeier(g.Subjects)))]);
    }

    private static List<(string Name, IReadOnlyList<SurvivalTime> Subjects)> Split(List<CohortPatient> patients, Func<CohortPatient, string> groupOf, params string[] groups) =>
        [.. groups.Select(g => (g, (IReadOnlyList<SurvivalTime>)[.. patients.Where(p => groupOf(p) == g).Select(p => p.Outcome!.Value)]))];

    private static List<FactorPrevalence> Prevalences(List<CohortPatient> eligible, ModelDefinition model, DerivationCohort derivation)
    {
        var rows = model.Factors.Select((f, i) => (f.Id, f.Label, Count: eligible.Count(p => p.Factors[i] == true)))
            .Append((Id: "local-treatment", Label: "Local treatment within 90 days of the recurrence (repeat resection or ablation)", Count: eligible.Count(p => p.LocalTreatment)));
        return [.. rows.Select(r =>
        {
            var paper = derivation.Factor(r.Id);
            return new FactorPrevalence(r.Id, r.Label, r.Count, Percent(r.Count, eligible.Count),
                paper.Count is { } count ? Percent(count, derivation.Patients) : null, paper.Where);
        })];
    }

    private static GroupSurvival Summary(string group, IReadOnlyList<SurvivalTime> subjects, DerivationSurvival? paper)
    {
        var curve = new KaplanMeier(subjects);
        return new GroupSurvival(group, subjects.Count, subjects.Count(s => s.Event), Months(curve.Median),
            [.. Years.Select(y =>
            {
                var at = y * DaysPerYear;
                var interval = curve.IntervalAt(at);
                return new SurvivalAt(y, curve.SurvivalAt(at) * 100, interval?.Lower * 100, interval?.Upper * 100,
                    paper?.PercentAt.GetValueOrDefault($"{y}"));
            })],
            [.. AtRiskMonths.Select(m => new AtRisk(m, curve.AtRiskAt(m * DaysPerMonth)))]);
    }

    private static LogRankResult? LogRank(List<(string Name, IReadOnlyList<SurvivalTime> Subjects)> groups)
    {
        if (groups.Count(g => g.Subjects.Count > 0) < 2)
            return null;
        var test = LogRankTest.Compare(groups);
        return new LogRankResult(test.ChiSquare, test.DegreesOfFreedom, test.P);
    }

    private static Grouping Grouping(List<CohortPatient> eligible, Func<CohortPatient, bool> high)
    {
        var groups = Split(eligible, p => high(p) ? "high" : "low", "high", "low");
        return new Grouping(groups[0].Subjects.Count, groups[1].Subjects.Count, LogRank(groups),
            ThreeYearPercent(groups[0].Subjects), ThreeYearPercent(groups[1].Subjects));
    }

    private static double? ThreeYearPercent(IReadOnlyList<SurvivalTime> subjects) =>
        subjects.Count == 0 ? null : new KaplanMeier(subjects).SurvivalAt(3 * DaysPerYear) * 100;

    private static CIndexResult Concordance(List<SurvivalTime> outcomes, double[] scores, AnalysisSettings settings, double? paper)
    {
        var c = new HarrellConcordance(outcomes, scores).Bootstrap(settings.BootstrapReplicates, settings.Seed);
        return new CIndexResult(Defined(c.Estimate), Defined(c.Lower), Defined(c.Upper), c.Replicates, paper);
    }

    private static double? Defined(double value) => double.IsNaN(value) ? null : value;

    private static double Percent(int count, int of) => of == 0 ? 0 : 100.0 * count / of;

    private static double? Months(double? days) => days / DaysPerMonth;
}
