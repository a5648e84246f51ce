namespace CrlmCdsHooks.Validation.Export;

/// <summary>How far a long step has got, for a progress bar.</summary>
/// <param name="Stage">What is being done, in a few words.</param>
/// <param name="Unit">What <paramref name="Done"/> counts ("MB", "patients", "polls").</param>
/// <param name="Total">The expected total; 0 when unknown.</param>
public readonly record struct ProgressUpdate(string Stage, long Done, long Total, string Unit);
