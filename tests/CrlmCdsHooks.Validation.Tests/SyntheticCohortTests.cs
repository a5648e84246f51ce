using System.Text.Json.Nodes;
using CrlmCdsHooks.Validation.Cli;
using CrlmCdsHooks.Validation.Demo;
using CrlmCdsHooks.Validation.Statistics;

namespace CrlmCdsHooks.Validation.Tests;

/// <summary>
/// The whole tool on a synthetic cohort whose truth is known: factors drawn at the derivation cohort's prevalences and
/// survival from a proportional-hazards model with the paper's hazard ratios. The tool reads only the NDJSON; the test
/// compares it with the generator's truth and with a C-index it computes itself from that truth.
/// </summary>
public sealed class SyntheticCohortTests : IClassFixture<SyntheticCohortTests.Run>
{
    private const int Patients = 3000;

    /// <summary>One export and one tool run, shared by the tests.</summary>
    public sealed class Run : IDisposable
    {
        private readonly TemporaryDirectory _directory = new();

        public Run()
        {
            Truth = DemoExport.Write(_directory.Sub("export"), Patients, seed: 42);
            var exit = ValidationCommand.RunAsync(["--input", _directory.Sub("export"), "--out", _directory.Sub("out"), "--bootstrap", "200"],
                TextWriter.Null, TextWriter.Null, showProgress: false).GetAwaiter().GetResult();
            Assert.Equal(0, exit);
            Report = JsonNode.Parse(File.ReadAllText(_directory.Sub("out/report.json")))!.AsObject();
            Html = File.ReadAllText(_directory.Sub("out/report.html"));
        }

        public IReadOnlyList<SyntheticPatient> Truth { get; }
        public JsonObject Report { get; }
        public string Html { get; }

        public void Dispose() => _directory.Dispose();
    }

    private readonly Run _run;

    public SyntheticCohortTests(Run run) => _run = run;

    private IEnumerable<SyntheticPatient> Eligible => _run.Truth.Where(t => t.Case == SyntheticCase.Eligible);

    [Fact]
    public void Every_planted_exclusion_is_found_and_counted()
    {
        var exclusions = _run.Report["exclusions"]!.AsObject();
        int Planted(SyntheticCase kind) => _run.Truth.Count(t => t.Case == kind);

        Assert.Equal(Patients, (int)_run.Report["patients"]!);
        Assert.Equal(Eligible.Count(), (int)_run.Report["eligible"]!);
        Assert.Equal(Patients - Planted(SyntheticCase.NoLiverMetastasis), (int)_run.Report["withCrlm"]!);
        Assert.Equal(Planted(SyntheticCase.ExtrahepaticDisease), (int)exclusions["extrahepatic-disease"]!);
        Assert.Equal(Planted(SyntheticCase.RasNotTested), (int)exclusions["factor-unknown:ras-mutation"]!);
        Assert.Equal(Planted(SyntheticCase.NoRecurrence), (int)exclusions["no-recurrence-after-hepatectomy"]!);
        Assert.Equal(Planted(SyntheticCase.NoLiverMetastasis), (int)exclusions["no-liver-metastasis"]!);
        Assert.Equal(4, exclusions.Count);
    }

    [Fact]
    public void Risk_groups_are_the_patients_with_three_or_more_factors()
    {
        // SPEC 3: on the reconstructed points, high risk is at least three of the four patient factors.
        var high = Eligible.Count(t => new[] { t.NodePositive, t.LargeLesion, t.EarlyRecurrence, t.RasMutation }.Count(f => f) >= 3);
        var groups = _run.Report["riskGroups"]!.AsObject();

        Assert.Equal(high, (int)groups["high"]!);
        Assert.Equal(Eligible.Count() - high, (int)groups["low"]!);
    }

    [Fact]
    public void High_risk_survives_worse()
    {
        var byGroup = _run.Report["survivalByRiskGroup"]!.AsArray().ToDictionary(g => (string)g!["group"]!);
        double AtThreeYears(string group) => (double)byGroup[group]!["at"]!.AsArray().Single(a => (int)a!["years"]! == 3)!["percent"]!;

        Assert.True(AtThreeYears("high") < AtThreeYears("low") - 15, $"3-year survival high {AtThreeYears("high")} vs low {AtThreeYears("low")}");
        Assert.True((double)byGroup["high"]!["medianMonths"]! < (double)byGroup["low"]!["medianMonths"]!);
        Assert.True((double)_run.Report["logRank"]!["p"]! < 0.001);
        Assert.True((double)_run.Report["logRank"]!["chiSquare"]! > 10.83); // the chi-square(1) quantile for p = 0.001
    }

    [Fact]
    public void C_index_equals_one_computed_independently_from_the_truth()
    {
        // The SPEC's points (section 3), the treatment the generator gave, and the generator's survival times: no code of the tool.
        var truth = Eligible.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var scores = truth.Select(t => (t.NodePositive ? 5.46 : 0) + (t.LargeLesion ? 4.72 : 0) + (t.EarlyRecurrence ? 4.65 : 0)
            + (t.RasMutation ? 3.88 : 0) + (t.LocalTreatment ? 0 : 10.00)).ToList();
        var outcomes = truth.Select(t => new SurvivalTime(t.FollowUpDays, t.Died)).ToList();
        var (expected, _) = StatisticsTests.PairByPair(outcomes, scores);

        var cIndex = _run.Report["cIndex"]!.AsObject();
        Assert.Equal(expected, (double)cIndex["estimate"]!, 1e-12);
        Assert.InRange(expected, (double)cIndex["lower"]!, (double)cIndex["upper"]!);
        Assert.Equal(0.707, (double)cIndex["paper"]!);
    }

    [Fact]
    public void Factor_prevalences_are_read_as_generated_and_set_beside_the_derivation_cohort()
    {
        var factors = _run.Report["factors"]!.AsArray().ToDictionary(f => (string)f!["id"]!);
        Assert.Equal(Eligible.Count(t => t.NodePositive), (int)factors["node-positive-primary"]!["patients"]!);
        Assert.Equal(Eligible.Count(t => t.LargeLesion), (int)factors["largest-lesion-over-3cm"]!["patients"]!);
        Assert.Equal(Eligible.Count(t => t.EarlyRecurrence), (int)factors["early-recurrence"]!["patients"]!);
        Assert.Equal(Eligible.Count(t => t.RasMutation), (int)factors["ras-mutation"]!["patients"]!);
        Assert.Equal(Eligible.Count(t => t.LocalTreatment), (int)factors["local-treatment"]!["patients"]!);
        // Liu 2021 Table 1: 86 of 300 node-positive; early recurrence is not reported.
        Assert.Equal(28.67, (double)factors["node-positive-primary"]!["derivationPercent"]!, 0.01);
        Assert.Null(factors["early-recurrence"]!["derivationPercent"]);
    }

    [Fact]
    public void Thresholds_11_to_15_are_reported_and_11_to_13_group_alike_on_the_decision_score()
    {
        var rows = _run.Report["thresholds"]!.AsArray();
        Assert.Equal([11, 12, 13, 14, 15], rows.Select(r => (int)r!["threshold"]!));
        var highs = rows.Select(r => (int)r!["decisionScore"]!["high"]!).ToList();
        // No decision score lies between 10.18 and 13.25 (SPEC 3), so 11, 12 and 13 agree; higher thresholds move patients to low.
        Assert.Equal(highs[0], highs[1]);
        Assert.Equal(highs[1], highs[2]);
        Assert.True(highs[3] <= highs[2] && highs[4] <= highs[3]);
        Assert.Equal((int)_run.Report["riskGroups"]!["high"]!, highs[2]);
    }

    [Fact]
    public void The_html_report_is_self_contained_with_its_figures_and_labels()
    {
        Assert.Contains("<svg", _run.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", _run.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", _run.Html, StringComparison.Ordinal);
        Assert.Contains("reconstructed from the published hazard", _run.Html, StringComparison.Ordinal);
        Assert.Contains("an interpretation", _run.Html, StringComparison.Ordinal);
        Assert.Contains("docs/clinical-model.md", _run.Html, StringComparison.Ordinal);
        Assert.Contains("0.707", _run.Html, StringComparison.Ordinal);
    }
}
