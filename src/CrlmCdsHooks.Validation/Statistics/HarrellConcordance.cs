using MathNet.Numerics.Statistics;

namespace CrlmCdsHooks.Validation.Statistics;

/// <summary>Harrell's C with a bootstrap percentile interval.</summary>
/// <param name="Estimate">Concordance in the whole sample.</param>
/// <param name="Lower">2.5th percentile of the bootstrap replicates.</param>
/// <param name="Upper">97.5th percentile of the bootstrap replicates.</param>
/// <param name="ComparablePairs">Pairs the estimate was computed from.</param>
public sealed record ConcordanceEstimate(double Estimate, double Lower, double Upper, int Replicates, double ComparablePairs);

/// <summary>
/// Harrell's concordance index (Harrell et al., JAMA 1982; Stat Med 1996) of a risk score with survival: among pairs where
/// the shorter follow-up ended in death, the share in which that patient had the higher score; tied scores count one half.
/// Pairs with equal times are comparable only when one is a death and the other censored (the censored one outlived it);
/// two deaths at the same time are not compared. This is the definition of R's <c>survival::concordance</c>.
/// Computed in O(n log n) with a Fenwick tree over the score ranks, so a bootstrap on 100,000 patients stays quick.
/// </summary>
public sealed class HarrellConcordance
{
    private readonly int[] _byTime;
    private readonly double[] _times;
    private readonly bool[] _events;
    private readonly int[] _scoreRank;
    private readonly int _distinctScores;

    /// <summary>Prepares the pairs of <paramref name="subjects"/> and their scores (higher = worse expected survival).</summary>
    public HarrellConcordance(IReadOnlyList<SurvivalTime> subjects, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(scores);
        if (subjects.Count != scores.Count)
            throw new ArgumentException("One score per subject is needed.", nameof(scores));
        _times = [.. subjects.Select(s => s.Time)];
        _events = [.. subjects.Select(s => s.Event)];
        var distinct = scores.Distinct().Order().ToArray();
        _distinctScores = distinct.Length;
        _scoreRank = [.. scores.Select(s => Array.BinarySearch(distinct, s) + 1)];
        _byTime = [.. Enumerable.Range(0, subjects.Count).OrderBy(i => _times[i])];
    }

    /// <summary>Concordance of the whole sample.</summary>
    public (double Concordance, double ComparablePairs) Compute() => Compute(null);

    /// <summary>The estimate with a percentile interval from <paramref name="replicates"/> bootstrap resamples.</summary>
    /// <param name="seed">Makes the interval reproducible; each replicate draws from its own seeded generator, so the
    /// result does not depend on how many replicates run in parallel.</param>
    public ConcordanceEstimate Bootstrap(int replicates, int seed)
    {
        var (estimate, pairs) = Compute();
        var n = _times.Length;
        var values = new double[replicates];
        Parallel.For(0, replicates, replicate =>
        {
            var random = new Random(HashCode.Combine(seed, replicate));
            var weights = new int[n];
            for (var draw = 0; draw < n; draw++)
                weights[random.Next(n)]++;
            values[replicate] = Compute(weights).Concordance;
        });
        var valid = values.Where(v => !double.IsNaN(v)).ToArray();
        return valid.Length == 0
            ? new ConcordanceEstimate(estimate, double.NaN, double.NaN, replicates, pairs)
            : new ConcordanceEstimate(estimate, valid.Quantile(0.025), valid.Quantile(0.975), replicates, pairs);
    }

    /// <summary>Concordance with each subject counted <paramref name="weights"/> times (a bootstrap resample); null = once each.</summary>
    private (double Concordance, double ComparablePairs) Compute(int[]? weights)
    {
        var tree = new double[_distinctScores + 1];
        double inTree = 0;
        for (var i = 0; i < _times.Length; i++)
        {
            var w = weights?[i] ?? 1;
            if (w > 0)
            {
                Add(tree, _scoreRank[i], w);
                inTree += w;
            }
        }

        double concordant = 0, tied = 0, discordant = 0;
        for (var start = 0; start < _byTime.Length;)
        {
            var end = start;
            while (end < _byTime.Length && _times[_byTime[end]] == _times[_byTime[start]])
                end++;
            // Deaths at this time are not compared with each other: take them out of the later-follow-up set first.
            for (var j = start; j < end; j++)
                if (_events[_byTime[j]])
                    inTree -= Remove(tree, _byTime[j], weights);
            for (var j = start; j < end; j++)
            {
                var i = _byTime[j];
                var w = weights?[i] ?? 1;
                if (!_events[i] || w == 0)
                    continue;
                var lower = PrefixSum(tree, _scoreRank[i] - 1);
                var same = PrefixSum(tree, _scoreRank[i]) - lower;
                concordant += w * lower;
                tied += w * same;
                discordant += w * (inTree - lower - same);
            }
            for (var j = start; j < end; j++)
                if (!_events[_byTime[j]])
                    inTree -= Remove(tree, _byTime[j], weights);
            start = end;
        }
        var comparable = concordant + tied + discordant;
        return (comparable == 0 ? double.NaN : (concordant + tied / 2) / comparable, comparable);
    }

    private double Remove(double[] tree, int subject, int[]? weights)
    {
        var w = weights?[subject] ?? 1;
        if (w > 0)
            Add(tree, _scoreRank[subject], -w);
        return w;
    }

    private static void Add(double[] tree, int rank, double value)
    {
        for (; rank < tree.Length; rank += rank & -rank)
            tree[rank] += value;
    }

    private static double PrefixSum(double[] tree, int rank)
    {
        double sum = 0;
        for (; rank > 0; rank -= rank & -rank)
            sum += tree[rank];
        return sum;
    }
}
