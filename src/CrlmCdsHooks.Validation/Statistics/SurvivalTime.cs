namespace CrlmCdsHooks.Validation.Statistics;

/// <summary>One subject's follow-up: the time observed and whether it ended in the event (death) or in censoring.</summary>
/// <param name="Time">Time from the start of follow-up, in any unit the caller keeps throughout (the tool uses days).</param>
/// <param name="Event">True when follow-up ended in the event; false when censored.</param>
public readonly record struct SurvivalTime(double Time, bool Event);
