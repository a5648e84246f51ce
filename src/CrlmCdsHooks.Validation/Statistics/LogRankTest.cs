using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace CrlmCdsHooks.Validation.Statistics;

/// <summary>Observed and expected deaths in one group of a log-rank test.</summary>
public sealed record LogRankGroup(string Name, int Subjects, int Observed, double Expected);

/// <summary>
/// The log-rank test of equal survival in k groups (Mantel 1966; Peto and Peto 1972), as R's <c>survdiff</c> with
/// <c>rho = 0</c>: the chi-square of observed minus expected deaths with its hypergeometric covariance, on k − 1 degrees of freedom.
/// </summary>
public sealed record LogRankTest(IReadOnlyList<LogRankGroup> Groups, double ChiSquare, int DegreesOfFreedom, double P)
{
    /// <summary>Compares the groups; each subject belongs to exactly one. Groups with no subject are left out.</summary>
    public static LogRankTest Compare(IReadOnlyList<(string Name, IReadOnlyList<SurvivalTime> Subjects)> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var present = groups.Where(g => g.Subjects.Count > 0).ToList();
        var k = present.Count;
        var observed = new double[k];
        var expected = new double[k];
        var covariance = Matrix<double>.Build.Dense(k, k);
        var atRisk = present.Select(g => g.Subjects.Count).ToArray();
        var byTime = present
            .SelectMany((g, index) => g.Subjects.Select(s => (s.Time, s.Event, Group: index)))
            .GroupBy(s => s.Time)
            .OrderBy(g => g.Key);
        foreach (var sameTime in byTime)
        {
            var deaths = new int[k];
            var leaving = new int[k];
            foreach (var (_, died, group) in sameTime)
            {
                leaving[group]++;
                if (died)
                    deaths[group]++;
            }
            double n = atRisk.Sum(), d = deaths.Sum();
            if (d > 0)
            {
                // Hypergeometric variance of the deaths at this time given the numbers at risk (tied deaths included).
                var tieFactor = n > 1 ? d * (n - d) / (n - 1) : 0;
                for (var g = 0; g < k; g++)
                {
                    observed[g] += deaths[g];
                    expected[g] += d * atRisk[g] / n;
                    for (var h = 0; h < k; h++)
                        covariance[g, h] += tieFactor * atRisk[g] / n * ((g == h ? 1 : 0) - atRisk[h] / n);
                }
            }
            for (var g = 0; g < k; g++)
                atRisk[g] -= leaving[g];
        }

        var result = present.Select((g, i) => new LogRankGroup(g.Name, g.Subjects.Count, (int)observed[i], expected[i])).ToList();
        if (k < 2)
            return new LogRankTest(result, 0, 0, 1);
        // The k covariances are linearly dependent; the statistic uses the first k − 1 groups.
        var difference = Vector<double>.Build.Dense(k - 1, i => observed[i] - expected[i]);
        var reduced = covariance.SubMatrix(0, k - 1, 0, k - 1);
        var chiSquare = difference * reduced.Inverse() * difference;
        // The upper tail directly (the regularised upper incomplete gamma), not 1 − CDF, so tiny p-values do not round to 0.
        return new LogRankTest(result, chiSquare, k - 1, SpecialFunctions.GammaUpperRegularized((k - 1) / 2.0, chiSquare / 2));
    }
}
