using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>SPEC sections 4 and 5: what is recommended and what stands beside it.</summary>
public class RecommendationTests
{
    [Fact]
    public void Low_risk_with_largest_lesion_up_to_30_mm_offers_hepatectomy_or_rfa()
    {
        var result = Assess(Recurrent(largestMm: 30m));

        Assert.Equal(RecommendationKind.LocalTreatment, result.Recommendation.Kind);
        Assert.Equal(["repeat-hepatectomy", "percutaneous-rfa"], result.Recommendation.Modalities);
        Assert.False(result.Recommendation.ConsiderPreoperativeChemotherapy);
    }

    [Fact]
    public void Low_risk_with_largest_lesion_over_30_mm_offers_hepatectomy_only()
    {
        var result = Assess(Recurrent(largestMm: 31m));

        Assert.Equal(RiskGroup.Low, result.RiskGroup);
        Assert.Equal(["repeat-hepatectomy"], result.Recommendation.Modalities);
        Assert.Contains(result.Recommendation.Details, d => d.Contains("contraindicated above 3 cm", StringComparison.Ordinal));
    }

    [Fact]
    public void Early_recurrence_in_low_risk_suggests_preoperative_chemotherapy()
    {
        var result = Assess(Recurrent(recurrence: EarlyRecurrence));

        Assert.Equal(RiskGroup.Low, result.RiskGroup);
        Assert.True(result.Recommendation.ConsiderPreoperativeChemotherapy);
        Assert.Contains(result.Recommendation.Details, d => d.Contains("two cycles", StringComparison.Ordinal));
    }

    [Fact]
    public void Heavy_burden_by_clinical_risk_score_suggests_preoperative_chemotherapy()
    {
        // N+, interval < 12 months and 3 lesions: CRS 3 while Liu stays low (5.46).
        var result = Assess(Recurrent(nodePositive: true, largestMm: 25m, lesionMeasurements: 3));

        Assert.Equal(RiskGroup.Low, result.RiskGroup);
        Assert.Equal(3, result.SupportingScores!.Fong.Score.Min);
        Assert.Equal("high", result.SupportingScores.Fong.Group);
        Assert.True(result.Recommendation.ConsiderPreoperativeChemotherapy);
    }

    [Fact]
    public void High_risk_recommends_mdt_and_systemic_therapy_first_without_forbidding_local_treatment()
    {
        var result = Assess(Recurrent(true, 45m, EarlyRecurrence, true));

        Assert.Equal(RecommendationKind.SystemicTherapyFirst, result.Recommendation.Kind);
        Assert.Contains(result.Recommendation.Details, d => d.Contains("p = 0.126", StringComparison.Ordinal));
        Assert.Contains(result.Recommendation.Details, d => d.Contains("not ruled out", StringComparison.Ordinal));
        Assert.Empty(result.Recommendation.Modalities);
    }

    [Fact]
    public void Indeterminate_names_what_is_needed()
    {
        var result = Assess(Recurrent(nodePositive: true, largestMm: 45m, rasMutated: null));

        Assert.Equal(RecommendationKind.CompleteData, result.Recommendation.Kind);
        Assert.Contains("KRAS/NRAS", result.Recommendation.Summary, StringComparison.Ordinal);
        Assert.Contains(result.Recommendation.Details, d => d.Contains("between 10.2 and 14.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Kobayashi_reads_four_lesions_as_borderline_and_none_as_resectable()
    {
        var four = Assess(Recurrent(largestMm: 20m, lesionMeasurements: 4)).SupportingScores!.Kobayashi;
        var one = Assess(Recurrent(largestMm: 20m, lesionMeasurements: 1)).SupportingScores!.Kobayashi;

        Assert.Equal((1, "borderline-resectable"), (four.Factors.Min, four.Reading));
        Assert.Equal((0, "resectable"), (one.Factors.Min, one.Reading));
    }

    [Fact]
    public void Every_result_carries_the_reconstruction_and_threshold_caveats_and_names_the_model_version()
    {
        var result = Assess(Recurrent());

        Assert.Equal(("liu-2021", "1.0.0"), (result.Model.Id, result.Model.Version));
        Assert.Contains(result.Caveats, c => c.StartsWith("Reconstructed", StringComparison.Ordinal));
        Assert.Contains(result.Caveats, c => c.Contains("not a validated cut-off", StringComparison.Ordinal));
        Assert.Contains(result.Caveats, c => c.Contains("C-index 0.707", StringComparison.Ordinal));
    }
}
