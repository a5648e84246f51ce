using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// What the assessment asks for when a factor is unknown (SPEC 3's range logic, 7.6's RAS rules): what to record, whether
/// testing is advised, and whether it can change the risk group.
/// </summary>
public class MissingInputTests
{
    private static RasResult Ras(RasGene gene, RasCall call, string reference) => new(gene, call, At(reference, new(2022, 7, 1), $"{gene} result"));

    private static Assessment WithRas(params RasResult[] results) => Assess(Recurrent(rasMutated: null) with { RasResults = results });

    private static MissingInput RasMissing(Assessment a) => a.Missing.Single(m => m.Id == "ras-mutation");

    [Fact]
    public void No_ras_result_on_record_asks_for_extended_testing_to_be_ordered()
    {
        var result = WithRas();

        Assert.Equal("RAS status not recorded", result.Factors.Single(f => f.Id == "ras-mutation").Value);
        Assert.True(RasMissing(result).TestingAdvised);
        Assert.StartsWith("Order extended RAS testing", RasMissing(result).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Kras_wild_type_alone_advises_extended_testing_of_nras()
    {
        var result = WithRas(Ras(RasGene.Kras, RasCall.NoMutation, "Observation/kras"));

        Assert.Equal("KRAS wild type, NRAS not reported", result.Factors.Single(f => f.Id == "ras-mutation").Value);
        Assert.True(RasMissing(result).TestingAdvised);
        Assert.StartsWith("Extended RAS testing is advised", RasMissing(result).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Kras_wild_type_with_only_an_nras_variant_of_uncertain_significance_is_not_established_and_not_retested()
    {
        var result = WithRas(Ras(RasGene.Kras, RasCall.NoMutation, "Observation/kras"), Ras(RasGene.Nras, RasCall.UncertainSignificance, "Observation/nras-vus"));

        var ras = result.Factors.Single(f => f.Id == "ras-mutation");
        Assert.Equal("RAS status not established", ras.Value);
        Assert.DoesNotContain(ras.Notes, n => n.Contains("NRAS was not reported", StringComparison.Ordinal));
        Assert.False(RasMissing(result).TestingAdvised);
        Assert.Contains("discuss it with molecular pathology", RasMissing(result).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_of_uncertain_significance_beside_a_conflict_still_asks_for_discussion_not_retesting()
    {
        var result = WithRas(
            Ras(RasGene.Kras, RasCall.Mutation, "Observation/kras-1"), Ras(RasGene.Kras, RasCall.NoMutation, "Observation/kras-2"),
            Ras(RasGene.Nras, RasCall.UncertainSignificance, "Observation/nras-vus"));

        var ras = result.Factors.Single(f => f.Id == "ras-mutation");
        Assert.Equal(2, ras.Notes.Count); // the KRAS conflict and the NRAS variant
        Assert.False(RasMissing(result).TestingAdvised);
    }

    [Fact]
    public void An_unknown_n_category_or_size_asks_for_the_record_not_for_testing()
    {
        var result = Assess(Recurrent(nodePositive: null, largestMm: null));

        Assert.All(result.Missing, m => Assert.False(m.TestingAdvised));
        Assert.Equal(["N category of the primary", "size of the largest recurrent lesion"], result.Missing.Select(m => m.Needed));
    }

    [Fact]
    public void A_missing_factor_says_whether_it_can_change_the_risk_group()
    {
        // RAS unknown with nothing else present: 0 or 3.88 points, low either way. Node status unknown with an early
        // recurrence and a large lesion: 9.37 or 14.83, on both sides of 13.
        var cannot = Assess(Recurrent(rasMutated: null));
        var can = Assess(Recurrent(nodePositive: null, largestMm: 40m, recurrence: EarlyRecurrence));

        Assert.Equal(RiskGroup.Low, cannot.RiskGroup);
        Assert.False(RasMissing(cannot).ChangesRiskGroup);
        Assert.EndsWith("It cannot change the risk group.", RasMissing(cannot).Detail, StringComparison.Ordinal);
        Assert.Equal(RiskGroup.Indeterminate, can.RiskGroup);
        var node = Assert.Single(can.Missing);
        Assert.True(node.ChangesRiskGroup);
        Assert.EndsWith("points; this can change the risk group.", node.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_early_recurrence_left_unknown_by_its_dates_asks_for_the_record_not_for_testing()
    {
        // Imaging before six months, the diagnosis after: unknown (SPEC 7.3).
        var onset = Hepatectomy.AddMonths(6).AddDays(20);
        var facts = Recurrent(recurrence: onset) with
        {
            LesionMeasurements = [new LesionMeasurement(20, "lesion", true, At("Observation/ct", Hepatectomy.AddMonths(6).AddDays(-10)))],
        };

        var early = Assess(facts).Missing.Single(m => m.Id == "early-recurrence");

        Assert.False(early.TestingAdvised);
    }
}
