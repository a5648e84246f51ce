namespace CrlmCdsHooks.Validation.Statistics;

/// <summary>One step of a Kaplan–Meier curve: a time at which at least one event happened.</summary>
/// <param name="AtRisk">Subjects still followed just before <paramref name="Time"/>.</param>
/// <param name="Survival">The product-limit estimate just after <paramref name="Time"/>.</param>
/// <param name="StandardError">Greenwood's standard error of <paramref name="Survival"/>.</param>
public sealed record KaplanMeierStep(double Time, int AtRisk, int Events, double Survival, double StandardError);

/// <summary>
/// The Kaplan–Meier product-limit estimate of survival (Kaplan and Meier, J Am Stat Assoc 1958) with Greenwood's variance.
/// Events at a time come before censorings at the same time, as in R's survival package.
/// </summary>
public sealed class KaplanMeier
{
    private readonly double[] _sortedTimes;

    /// <summary>Estimates the curve of the subjects.</summary>
    public KaplanMeier(IReadOnlyCollection<SurvivalTime> subjects)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        Subjects = subjects.Count;
        _sortedTimes = [.. subjects.Select(s => s.Time).Order()];
        var steps = new List<KaplanMeierStep>();
        double survival = 1, greenwoodSum = 0;
        var atRisk = subjects.Count;
        foreach (var sameTime in subjects.GroupBy(s => s.Time).OrderBy(g => g.Key))
        {
            var events = sameTime.Count(s => s.Event);
            if (events > 0)
            {
                survival *= 1 - (double)events / atRisk;
                // Greenwood's sum is undefined once everyone at risk has died; the curve is 0 with no error from there on.
                greenwoodSum += atRisk > events ? events / ((double)atRisk * (atRisk - events)) : 0;
                steps.Add(new KaplanMeierStep(sameTime.Key, atRisk, events, survival, survival * Math.Sqrt(greenwoodSum)));
            }
            atRisk -= sameTime.Count();
        }
        Steps = steps;
    }

    /// <summary>Number of subjects the curve was estimated from.</summary>
    public int Subjects { get; }

    /// <summary>The steps of the curve, in time order.</summary>
    public IReadOnlyList<KaplanMeierStep> Steps { get; }

    /// <summary>The time of the last follow-up (event or censoring); the curve is not defined beyond it.</summary>
    public double LastFollowUp => _sortedTimes.Length == 0 ? 0 : _sortedTimes[^1];

    /// <summary>The estimate at a time (right-continuous: an event at exactly <paramref name="time"/> counts); null beyond the last follow-up.</summary>
    public double? SurvivalAt(double time) => time > LastFollowUp ? null : StepAt(time)?.Survival ?? 1;

    /// <summary>
    /// Greenwood's 95% interval at a time on the log scale, capped at 1: R's <c>survfit</c> default (<c>conf.type = "log"</c>),
    /// so the intervals can be checked against its published output.
    /// </summary>
    public (double Lower, double Upper)? IntervalAt(double time)
    {
        if (time > LastFollowUp)
            return null;
        if (StepAt(time) is not { } step)
            return (1, 1);
        if (step.Survival <= 0)
            return (0, 0);
        var halfWidth = Z975 * step.StandardError / step.Survival;
        return (step.Survival * Math.Exp(-halfWidth), Math.Min(1, step.Survival * Math.Exp(halfWidth)));
    }

    /// <summary>Subjects still followed just before a time (the "number at risk" printed under a Kaplan–Meier plot).</summary>
    public int AtRiskAt(double time)
    {
        var index = Array.BinarySearch(_sortedTimes, time);
        if (index < 0)
            return _sortedTimes.Length - ~index;
        while (index > 0 && _sortedTimes[index - 1] >= time)
            index--;
        return _sortedTimes.Length - index;
    }

    /// <summary>The smallest time at which the estimate is at or below one half; null when it never gets there.</summary>
    public double? Median => Steps.FirstOrDefault(s => s.Survival <= 0.5)?.Time;

    private const double Z975 = 1.959963984540054;

    private KaplanMeierStep? StepAt(double time) => Steps.LastOrDefault(s => s.Time <= time);
}
