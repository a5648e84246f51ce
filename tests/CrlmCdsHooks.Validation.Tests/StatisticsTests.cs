using CrlmCdsHooks.Validation.Statistics;

namespace CrlmCdsHooks.Validation.Tests;

/// <summary>
/// Kaplan–Meier, log-rank and Harrell's C against published worked examples: the <c>aml</c> data of R's survival package
/// (Miller 1997) and the output its documentation and tutorials print for them. Not against this code's own output.
/// </summary>
public sealed class StatisticsTests
{
    // survival::aml, weeks; "+" = censored.  Maintained: 9 13 13+ 18 23 28+ 31 34 45+ 48 161+
    private static readonly SurvivalTime[] Maintained =
        [E(9), E(13), C(13), E(18), E(23), C(28), E(31), E(34), C(45), E(48), C(161)];

    // Nonmaintained: 5 5 8 8 12 16+ 23 27 30 33 43 45
    private static readonly SurvivalTime[] Nonmaintained =
        [E(5), E(5), E(8), E(8), E(12), C(16), E(23), E(27), E(30), E(33), E(43), E(45)];

    private static SurvivalTime E(double t) => new(t, true);
    private static SurvivalTime C(double t) => new(t, false);

    [Fact]
    public void Kaplan_Meier_reproduces_survfit_for_aml_maintained()
    {
        // summary(survfit(Surv(time, status) ~ x, data = aml)), x = Maintained:
        // time n.risk n.event survival std.err lower 95% CI upper 95% CI
        //    9     11       1    0.909  0.0867       0.7541        1.000
        //   13     10       1    0.818  0.1163       0.6192        1.000
        //   18      8       1    0.716  0.1397       0.4884        1.000
        //   23      7       1    0.614  0.1526       0.3769        0.999
        //   31      5       1    0.491  0.1642       0.2549        0.946
        //   34      4       1    0.368  0.1627       0.1549        0.875
        //   48      2       1    0.184  0.1535       0.0359        0.944
        var published = new (double Time, int AtRisk, double Survival, double StdErr, double Lower, double Upper)[]
        {
            (9, 11, 0.909, 0.0867, 0.7541, 1.000), (13, 10, 0.818, 0.1163, 0.6192, 1.000), (18, 8, 0.716, 0.1397, 0.4884, 1.000),
            (23, 7, 0.614, 0.1526, 0.3769, 0.999), (31, 5, 0.491, 0.1642, 0.2549, 0.946), (34, 4, 0.368, 0.1627, 0.1549, 0.875),
            (48, 2, 0.184, 0.1535, 0.0359, 0.944),
        };
        var km = new KaplanMeier(Maintained);

        Assert.Equal(published.Length, km.Steps.Count);
        foreach (var (row, step) in published.Zip(km.Steps))
        {
            Assert.Equal(row.Time, step.Time);
            Assert.Equal(row.AtRisk, step.AtRisk);
            Assert.Equal(row.Survival, step.Survival, 0.0005);
            Assert.Equal(row.StdErr, step.StandardError, 0.00005);
            var (lower, upper) = km.IntervalAt(row.Time)!.Value;
            Assert.Equal(row.Lower, lower, 0.00005);
            Assert.Equal(row.Upper, upper, 0.0005);
        }
    }

    [Fact]
    public void Kaplan_Meier_medians_and_numbers_at_risk_match_survfit_for_aml()
    {
        // print(survfit(...)): median 31 (Maintained), 23 (Nonmaintained).
        Assert.Equal(31, new KaplanMeier(Maintained).Median);
        Assert.Equal(23, new KaplanMeier(Nonmaintained).Median);
        // Numbers at risk just before a time: 11 at 0, 8 at 18 (13+ and the death at 13 have left), 2 at 48, 1 at 161.
        var km = new KaplanMeier(Maintained);
        Assert.Equal([11, 8, 2, 1, 0], new[] { 0.0, 18, 48, 161, 162 }.Select(km.AtRiskAt));
        Assert.Null(km.SurvivalAt(162));
        Assert.Equal(0.184, km.SurvivalAt(160)!.Value, 0.0005);
    }

    [Fact]
    public void Log_rank_reproduces_survdiff_for_aml()
    {
        // survdiff(Surv(time, status) ~ x, data = aml):
        //                  N Observed Expected (O-E)^2/E (O-E)^2/V
        // x=Maintained    11        7    10.69      1.27       3.4
        // x=Nonmaintained 12       11     7.31      1.86       3.4
        //  Chisq= 3.4  on 1 degrees of freedom, p= 0.0653
        var test = LogRankTest.Compare([("Maintained", Maintained), ("Nonmaintained", Nonmaintained)]);

        Assert.Equal([7, 11], test.Groups.Select(g => g.Observed));
        Assert.Equal(10.69, test.Groups[0].Expected, 0.005);
        Assert.Equal(7.31, test.Groups[1].Expected, 0.005);
        Assert.Equal(3.4, Math.Round(test.ChiSquare, 1));
        Assert.Equal(1, test.DegreesOfFreedom);
        Assert.Equal(0.0653, test.P, 0.00005);
    }

    [Fact]
    public void Log_rank_of_three_groups_has_two_degrees_of_freedom_and_agrees_with_two_when_a_group_is_empty()
    {
        var two = LogRankTest.Compare([("Maintained", Maintained), ("Nonmaintained", Nonmaintained)]);
        var withEmpty = LogRankTest.Compare([("Maintained", Maintained), ("none", []), ("Nonmaintained", Nonmaintained)]);
        Assert.Equal(two.ChiSquare, withEmpty.ChiSquare, 1e-12);

        var split = LogRankTest.Compare([("Maintained", Maintained), ("early", Nonmaintained[..6]), ("late", Nonmaintained[6..])]);
        Assert.Equal(2, split.DegreesOfFreedom);
        Assert.Equal(18, split.Groups.Sum(g => g.Observed));
        Assert.Equal(18, split.Groups.Sum(g => g.Expected), 1e-9); // expected deaths add up to the observed ones
    }

    [Fact]
    public void Harrell_C_reproduces_the_survival_package_concordance_for_aml()
    {
        // coxph(Surv(time, status) ~ x, data = aml) prints "Concordance= 0.619 (se = 0.063)": the risk score is
        // higher for Nonmaintained; all Maintained patients tie with each other (count 1/2), and so do the others.
        var subjects = Maintained.Concat(Nonmaintained).ToArray();
        double[] scores = [.. Maintained.Select(_ => 0.0), .. Nonmaintained.Select(_ => 1.0)];

        var (c, _) = new HarrellConcordance(subjects, scores).Compute();

        Assert.Equal(0.619, c, 0.0005);
    }

    [Fact]
    public void Harrell_C_equals_the_definition_counted_pair_by_pair_on_data_with_ties()
    {
        var random = new Random(7);
        var subjects = Enumerable.Range(0, 400).Select(_ => new SurvivalTime(random.Next(1, 60), random.NextDouble() < 0.7)).ToArray();
        var scores = subjects.Select(_ => (double)random.Next(0, 6)).ToArray();

        var (fast, pairs) = new HarrellConcordance(subjects, scores).Compute();

        var (expected, expectedPairs) = PairByPair(subjects, scores);
        Assert.Equal(expectedPairs, pairs);
        Assert.Equal(expected, fast, 1e-12);
    }

    [Fact]
    public void Bootstrap_interval_is_reproducible_and_holds_the_estimate()
    {
        var random = new Random(11);
        var scores = Enumerable.Range(0, 300).Select(_ => (double)random.Next(0, 4)).ToArray();
        var subjects = scores.Select(s => new SurvivalTime(Math.Ceiling(-Math.Log(1 - random.NextDouble()) / (0.01 * Math.Exp(0.5 * s))), random.NextDouble() < 0.8)).ToArray();
        var concordance = new HarrellConcordance(subjects, scores);

        var first = concordance.Bootstrap(200, seed: 3);
        var again = concordance.Bootstrap(200, seed: 3);
        var other = concordance.Bootstrap(200, seed: 4);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Lower, other.Lower);
        Assert.InRange(first.Estimate, first.Lower, first.Upper);
        Assert.True(first.Upper - first.Lower is > 0.01 and < 0.2, $"interval {first.Lower}–{first.Upper}");
    }

    /// <summary>Harrell's C straight from its definition, every ordered pair once: the independent check of the fast version.</summary>
    internal static (double C, double Pairs) PairByPair(IReadOnlyList<SurvivalTime> subjects, IReadOnlyList<double> scores)
    {
        double concordant = 0, tied = 0, comparable = 0;
        for (var i = 0; i < subjects.Count; i++)
            for (var j = 0; j < subjects.Count; j++)
            {
                var (a, b) = (subjects[i], subjects[j]);
                if (i == j || !a.Event || !(a.Time < b.Time || (a.Time == b.Time && !b.Event)))
                    continue;
                comparable++;
                if (scores[i] > scores[j])
                    concordant++;
                else if (scores[i] == scores[j])
                    tied++;
            }
        return ((concordant + tied / 2) / comparable, comparable);
    }
}
