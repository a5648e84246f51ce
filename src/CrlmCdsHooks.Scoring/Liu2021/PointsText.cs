using System.Globalization;

namespace CrlmCdsHooks.Scoring;

/// <summary>Points on the reconstructed Liu 2021 scale as every text shows them.</summary>
public static class PointsText
{
    /// <summary>One decimal at most: the points are reconstructed from hazard ratios and carry no more.</summary>
    public static string Of(decimal points) => points.ToString("0.#", CultureInfo.InvariantCulture);
}
