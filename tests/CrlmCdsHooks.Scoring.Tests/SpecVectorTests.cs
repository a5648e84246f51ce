using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>SPEC section 6: every vector and boundary, reproduced exactly.</summary>
public class SpecVectorTests
{
    [Theory]
    [InlineData(false, false, false, false, "0.00", RiskGroup.Low, "10.00")]
    [InlineData(true, false, false, false, "5.46", RiskGroup.Low, "15.46")]
    [InlineData(true, true, false, false, "10.18", RiskGroup.Low, "20.18")]
    [InlineData(false, true, true, true, "13.25", RiskGroup.High, "23.25")]
    [InlineData(true, false, true, true, "13.99", RiskGroup.High, "23.99")]
    [InlineData(true, true, true, true, "18.71", RiskGroup.High, "28.71")]
    public void Vector_reproduces_total_group_and_total_without_local_treatment(
        bool nodePositive, bool over3Cm, bool early, bool rasMutated, string total, RiskGroup group, string withoutLocalTreatment)
    {
        var result = Facts.Assess(Facts.Recurrent(nodePositive, over3Cm ? 45m : 20m,
            early ? Facts.EarlyRecurrence : Facts.LateRecurrence, rasMutated));

        Assert.Equal(group, result.RiskGroup);
        Assert.Equal(decimal.Parse(total), result.Score);
        Assert.Equal(decimal.Parse(withoutLocalTreatment), result.ScoreWithoutLocalTreatment);
        Assert.Equal([nodePositive, over3Cm, early, rasMutated], result.Factors.Select(f => f.Present!.Value));
    }

    [Theory]
    [InlineData(30.0, false)]
    [InlineData(30.4, true)] // strictly greater than 30 mm, as measured; no rounding
    [InlineData(31.0, true)]
    public void Largest_lesion_counts_only_strictly_above_30_mm(double millimetres, bool present)
    {
        var result = Facts.Assess(Facts.Recurrent(largestMm: (decimal)millimetres));

        var factor = result.Factors.Single(f => f.Id == "largest-lesion-over-3cm");
        Assert.Equal(present, factor.Present);
        Assert.Equal(present ? 4.72m : 0m, factor.Points);
        Assert.Equal("Observation/size-0", Assert.Single(factor.Evidence).Reference);
    }

    [Fact]
    public void Recurrence_exactly_six_calendar_months_after_hepatectomy_is_not_early_and_one_day_less_is()
    {
        var sixMonths = Facts.Hepatectomy.AddMonths(6);

        var atSix = Facts.Assess(Facts.Recurrent(recurrence: sixMonths)).Factors.Single(f => f.Id == "early-recurrence");
        var dayBefore = Facts.Assess(Facts.Recurrent(recurrence: sixMonths.AddDays(-1))).Factors.Single(f => f.Id == "early-recurrence");

        Assert.Equal(new DateOnly(2023, 7, 15), sixMonths);
        Assert.False(atSix.Present);
        Assert.True(dayBefore.Present);
        Assert.Equal(4.65m, dayBefore.Points);
    }

    [Theory]
    [InlineData(false, false, false, RiskGroup.Low)]
    [InlineData(true, false, false, RiskGroup.Low)]
    [InlineData(false, true, false, RiskGroup.Low)]
    [InlineData(false, false, true, RiskGroup.Low)]
    [InlineData(true, true, false, RiskGroup.Indeterminate)]
    [InlineData(true, false, true, RiskGroup.Indeterminate)]
    [InlineData(false, true, true, RiskGroup.Indeterminate)]
    [InlineData(true, true, true, RiskGroup.High)]
    public void Unknown_ras_decides_only_when_exactly_two_other_factors_are_present(bool nodePositive, bool over3Cm, bool early, RiskGroup group)
    {
        var result = Facts.Assess(Facts.Recurrent(nodePositive, over3Cm ? 45m : 20m,
            early ? Facts.EarlyRecurrence : Facts.LateRecurrence, rasMutated: null));

        Assert.Equal(group, result.RiskGroup);
        Assert.Null(result.Score);
        var missing = Assert.Single(result.Missing);
        Assert.Equal("ras-mutation", missing.Id);
        Assert.Equal(group == RiskGroup.Indeterminate, missing.ChangesRiskGroup);
        Assert.Equal(result.ScoreRange!.Min + 3.88m, result.ScoreRange.Max);
    }

    [Fact]
    public void Stored_points_are_the_log_hazard_ratios_scaled_so_no_local_treatment_is_ten()
    {
        var model = ModelDefinition.Liu2021;
        var scale = 10 / Math.Abs(Math.Log((double)model.NoLocalTreatment.HazardRatio));

        foreach (var factor in model.Factors)
            Assert.Equal(Math.Round(Math.Log((double)factor.HazardRatio) * scale, 2), (double)factor.Points);
        Assert.Equal(10.00m, model.NoLocalTreatment.Points);
        Assert.Equal(13m, model.HighRiskThreshold);
    }
}
