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
        Assert.False(result.Recommendation.ConsiderPreoperativeChemotherapy);
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

    // SPEC 4: RFA only up to 3 cm. The detail names the recorded size on the right side of that limit, and the summary
    // names exactly the modalities offered.
    [Theory]
    [InlineData(30, "Largest recurrent lesion 30 mm (<= 30 mm): repeat hepatectomy or percutaneous RFA.", "Repeat local treatment favoured if the MDT confirms it is resectable or ablatable: repeat hepatectomy or RFA")]
    [InlineData(31, "Largest recurrent lesion 31 mm (> 30 mm): repeat hepatectomy.", "Repeat local treatment favoured if the MDT confirms it is resectable: repeat hepatectomy")]
    public void The_size_sentence_and_the_summary_follow_the_30_mm_limit_of_rfa(int largestMm, string sizeSentence, string summary)
    {
        var recommendation = Assess(Recurrent(largestMm: largestMm)).Recommendation;

        Assert.Contains(recommendation.Details, d => d.StartsWith(sizeSentence, StringComparison.Ordinal));
        Assert.Equal(summary, recommendation.Summary);
    }

    [Fact]
    public void Without_a_recorded_size_rfa_is_offered_only_up_to_30_mm()
    {
        var recommendation = Assess(Recurrent(largestMm: null)).Recommendation;

        Assert.Equal(["repeat-hepatectomy", "percutaneous-rfa"], recommendation.Modalities);
        Assert.Contains(recommendation.Details, d => d.StartsWith("Size of the largest recurrent lesion not recorded: RFA is an option only up to 30 mm.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(45, false, "Largest recurrent lesion assumed <= 30 mm (what-if; the record says 45 mm): repeat hepatectomy or percutaneous RFA.")]
    [InlineData(20, true, "Largest recurrent lesion assumed > 30 mm (what-if): repeat hepatectomy.")]
    public void An_assumed_size_is_said_to_be_assumed_beside_what_the_record_says(int recordedMm, bool assumedOver3cm, string sizeSentence)
    {
        var recommendation = new CrlmAssessor(ModelDefinition.Liu2021)
            .Assess(Recurrent(largestMm: recordedMm), new Dictionary<string, bool> { ["largest-lesion-over-3cm"] = assumedOver3cm }).Recommendation;

        Assert.Contains(recommendation.Details, d => d.StartsWith(sizeSentence, StringComparison.Ordinal));
    }

    // Fong's clinical risk score above 2 suggests preoperative chemotherapy (Liu 2021); with items unknown it says the
    // score could still cross 2, and at 2 or below with nothing unknown it says nothing.
    [Fact]
    public void A_clinical_risk_score_that_could_exceed_2_once_completed_is_said_so_without_suggesting_chemotherapy()
    {
        // N+ and a 10-month interval: 2 points; CEA unrecorded: up to 3.
        var result = Assess(Recurrent(nodePositive: true));

        Assert.Equal((2, 3), (result.SupportingScores!.Fong.Score.Min, result.SupportingScores.Fong.Score.Max));
        Assert.Contains(result.Recommendation.Details, d => d.StartsWith("The clinical risk score could exceed 2 once its unknown items are recorded (now 2 to 3)", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Recommendation.Details, d => d.StartsWith("Heavy tumour burden", StringComparison.Ordinal));
        Assert.False(result.Recommendation.ConsiderPreoperativeChemotherapy);
    }

    [Fact]
    public void A_clinical_risk_score_of_3_is_a_heavy_burden_named_with_its_score()
    {
        var result = Assess(Recurrent(nodePositive: true, largestMm: 25m, lesionMeasurements: 3));

        Assert.Contains(result.Recommendation.Details, d => d.StartsWith("Heavy tumour burden (clinical risk score 3 > 2", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Recommendation.Details, d => d.StartsWith("The clinical risk score could exceed 2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_clinical_risk_score_that_cannot_exceed_2_adds_no_sentence()
    {
        // A 10-month interval: 1 point; CEA unrecorded: up to 2.
        var result = Assess(Recurrent());

        Assert.Equal((1, 2), (result.SupportingScores!.Fong.Score.Min, result.SupportingScores.Fong.Score.Max));
        Assert.DoesNotContain(result.Recommendation.Details, d => d.Contains("clinical risk score", StringComparison.Ordinal));
    }
}
