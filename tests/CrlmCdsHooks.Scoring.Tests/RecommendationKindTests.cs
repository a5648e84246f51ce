using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 4: preoperative chemotherapy is suggested only from the clinical risk score of a patient the model recommends
/// treatment for; never when the model does not apply, the group is undetermined, or the recurrence was already treated.
/// </summary>
public class RecommendationKindTests
{
    [Fact]
    public void No_recommendation_without_a_treatment_decision_suggests_preoperative_chemotherapy()
    {
        // Each with a heavy burden (CEA over 200, node-positive, early, several lesions), which alone would suggest it.
        ClinicalFacts Heavy(ClinicalFacts facts) => facts with
        {
            CeaResults = [new CeaResult(500m, At("Observation/cea", EarlyRecurrence))],
            LesionCounts = [new LesionCount(3, At("Observation/count", EarlyRecurrence))],
        };
        var notAssessed = Assess(Heavy(Recurrent(nodePositive: true, recurrence: EarlyRecurrence) with { ExtrahepaticMetastases = [Dx("Condition/lung", new(2023, 3, 1))] }));
        var undetermined = Assess(Heavy(Recurrent(nodePositive: null, largestMm: 40m, recurrence: EarlyRecurrence)));
        var treated = Assess(Heavy(Recurrent(nodePositive: true, recurrence: EarlyRecurrence) with { LiverAblations = [At("Procedure/rfa", EarlyRecurrence.AddDays(40))] }));
        var otherTherapy = Assess(Heavy(Recurrent(nodePositive: true, recurrence: EarlyRecurrence) with { OtherLiverDirectedTherapies = [At("Procedure/tace", EarlyRecurrence.AddDays(40))] }));

        Assert.Equal(
            [RecommendationKind.NotAssessed, RecommendationKind.CompleteData, RecommendationKind.AlreadyTreated, RecommendationKind.AlreadyTreated],
            new[] { notAssessed, undetermined, treated, otherTherapy }.Select(a => a.Recommendation.Kind));
        Assert.All(new[] { notAssessed, undetermined, treated, otherTherapy }, a => Assert.False(a.Recommendation.ConsiderPreoperativeChemotherapy));
    }

    [Fact]
    public void The_low_risk_recommendation_opens_with_the_papers_survival_with_and_without_local_treatment()
    {
        var low = Assess(Recurrent());

        Assert.Equal(RecommendationKind.LocalTreatment, low.Recommendation.Kind);
        Assert.Contains("86.3/54.1/38.9%", low.Recommendation.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_30_mm_lesion_assumed_over_30_mm_is_said_to_be_assumed()
    {
        var result = new CrlmAssessor(ModelDefinition.Liu2021).Assess(Recurrent(largestMm: 30m), new Dictionary<string, bool> { ["largest-lesion-over-3cm"] = true });

        Assert.Equal(RiskGroup.Low, result.RiskGroup);
        Assert.Contains(result.Recommendation.Details, d => d.StartsWith("Largest recurrent lesion assumed > 30 mm (what-if)", StringComparison.Ordinal));
    }
}
