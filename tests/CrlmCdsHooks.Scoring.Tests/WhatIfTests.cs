using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>What-if: the engine scores assumed factor values, marks them hypothetical, and leaves the rest to the record.</summary>
public class WhatIfTests
{
    private static readonly CrlmAssessor Assessor = new(ModelDefinition.Liu2021);

    // N+ and > 3 cm present, RAS unknown: 10.18 to 14.06, on both sides of 13.
    private static ClinicalFacts RasUnknownWithTwoFactors() => Recurrent(nodePositive: true, largestMm: 35m, rasMutated: null);

    [Theory]
    [InlineData(true, RiskGroup.High, 14.06)]
    [InlineData(false, RiskGroup.Low, 10.18)]
    public void Assuming_the_unknown_factor_settles_the_risk_group(bool rasMutated, RiskGroup expected, decimal score)
    {
        var record = Assessor.Assess(RasUnknownWithTwoFactors());
        var whatIf = Assessor.Assess(RasUnknownWithTwoFactors(), new Dictionary<string, bool> { ["ras-mutation"] = rasMutated });

        Assert.Equal(RiskGroup.Indeterminate, record.RiskGroup);
        Assert.Equal(expected, whatIf.RiskGroup);
        Assert.Equal(score, whatIf.Score);
        Assert.Empty(whatIf.Missing);
        Assert.Equal(["ras-mutation"], whatIf.Assumptions);
        var ras = whatIf.Factors.Single(f => f.Id == "ras-mutation");
        Assert.True(ras.Assumed);
        Assert.StartsWith("what-if: assumed", ras.Value, StringComparison.Ordinal);
        Assert.All(whatIf.Factors.Where(f => f.Id != "ras-mutation"), f => Assert.False(f.Assumed));
    }

    [Fact]
    public void A_recorded_factor_can_be_disputed_and_the_record_is_still_named()
    {
        var whatIf = Assessor.Assess(Recurrent(nodePositive: true), new Dictionary<string, bool> { ["node-positive-primary"] = false });

        var node = whatIf.Factors.Single(f => f.Id == "node-positive-primary");
        Assert.False(node.Present);
        Assert.Equal(0m, node.Points);
        Assert.Contains("record: pN1", node.Value, StringComparison.Ordinal);
        Assert.Equal("Observation/pn", Assert.Single(node.Evidence).Reference);
    }

    [Fact]
    public void An_assumed_large_lesion_changes_the_modality_to_hepatectomy_and_says_it_is_assumed()
    {
        var whatIf = Assessor.Assess(Recurrent(largestMm: 20m), new Dictionary<string, bool> { ["largest-lesion-over-3cm"] = true });

        Assert.Equal(RiskGroup.Low, whatIf.RiskGroup);
        Assert.Equal(["repeat-hepatectomy"], whatIf.Recommendation.Modalities);
        Assert.Contains(whatIf.Recommendation.Details, d => d.Contains("assumed > 30 mm (what-if)", StringComparison.Ordinal));
    }

    [Fact]
    public void An_assumed_early_recurrence_brings_the_preoperative_chemotherapy_advice()
    {
        var whatIf = Assessor.Assess(Recurrent(), new Dictionary<string, bool> { ["early-recurrence"] = true });

        Assert.True(whatIf.Recommendation.ConsiderPreoperativeChemotherapy);
    }

    [Fact]
    public void No_assumption_gives_the_record_result()
    {
        var plain = Assessor.Assess(RasUnknownWithTwoFactors());
        var empty = Assessor.Assess(RasUnknownWithTwoFactors(), new Dictionary<string, bool>());

        Assert.Empty(plain.Assumptions);
        Assert.Equal(plain.ScoreRange, empty.ScoreRange);
        Assert.Equal(plain.RiskGroup, empty.RiskGroup);
    }

    [Fact]
    public void An_unknown_factor_id_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Assessor.Assess(Recurrent(), new Dictionary<string, bool> { ["no-such-factor"] = true }));

        Assert.Contains("no-such-factor", error.Message, StringComparison.Ordinal);
    }
}
