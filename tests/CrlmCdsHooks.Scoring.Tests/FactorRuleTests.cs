using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>SPEC section 2: how each factor is read, including conflicts and partial results.</summary>
public class FactorRuleTests
{
    private static FactorResult Factor(ClinicalFacts facts, string id) => Assess(facts).Factors.Single(f => f.Id == id);

    [Fact]
    public void Kras_wild_type_with_nras_not_reported_leaves_ras_unknown_and_advises_extended_testing()
    {
        var facts = Recurrent() with { RasResults = [new RasResult(RasGene.Kras, RasCall.NoMutation, At("Observation/kras", new(2022, 7, 1)))] };

        var ras = Factor(facts, "ras-mutation");

        Assert.Null(ras.Present);
        Assert.Contains(ras.Notes, n => n.Contains("NRAS was not reported", StringComparison.Ordinal) && n.Contains("exons 2, 3 and 4", StringComparison.Ordinal));
    }

    [Fact]
    public void Nras_mutation_alone_is_a_ras_mutation()
    {
        var facts = Recurrent() with { RasResults = [new RasResult(RasGene.Nras, RasCall.Mutation, At("Observation/nras", new(2022, 7, 1)))] };

        Assert.True(Factor(facts, "ras-mutation").Present);
    }

    [Fact]
    public void Nras_wild_type_alone_leaves_ras_unknown()
    {
        var facts = Recurrent() with { RasResults = [new RasResult(RasGene.Nras, RasCall.NoMutation, At("Observation/nras", new(2022, 7, 1)))] };

        Assert.Null(Factor(facts, "ras-mutation").Present);
    }

    [Fact]
    public void Conflicting_kras_results_are_reported_and_left_unknown()
    {
        var facts = Recurrent() with
        {
            RasResults =
            [
                new RasResult(RasGene.Kras, RasCall.Mutation, At("Observation/kras-1", new(2022, 7, 1))),
                new RasResult(RasGene.Kras, RasCall.NoMutation, At("Observation/kras-2", new(2022, 8, 1))),
            ],
        };

        var ras = Factor(facts, "ras-mutation");

        Assert.Null(ras.Present);
        Assert.Contains(ras.Notes, n => n.Contains("Conflicting KRAS", StringComparison.Ordinal));
        Assert.Equal(2, ras.Evidence.Count);
    }

    [Fact]
    public void Pathological_n_wins_over_clinical_n()
    {
        var facts = Recurrent() with
        {
            NodalStagings =
            [
                new NodalStaging(true, "cN1", false, At("Observation/cn", new(2022, 5, 1))),
                new NodalStaging(false, "pN0", true, At("Observation/pn", new(2022, 7, 1))),
            ],
        };

        var node = Factor(facts, "node-positive-primary");

        Assert.False(node.Present);
        Assert.Equal("Observation/pn", Assert.Single(node.Evidence).Reference);
    }

    [Fact]
    public void Clinical_n_is_used_when_no_pathological_n_exists_and_says_so()
    {
        var facts = Recurrent() with { NodalStagings = [new NodalStaging(true, "cN2", false, At("Observation/cn", new(2022, 5, 1)))] };

        var node = Factor(facts, "node-positive-primary");

        Assert.True(node.Present);
        Assert.Contains(node.Notes, n => n.StartsWith("Clinical N category used", StringComparison.Ordinal));
    }

    [Fact]
    public void Lesions_measured_before_the_hepatectomy_or_outside_the_liver_are_not_the_recurrence()
    {
        var facts = Recurrent(largestMm: 20m) with { };
        facts = facts with
        {
            LesionMeasurements =
            [
                .. facts.LesionMeasurements,
                new LesionMeasurement(55m, "initial", true, At("Observation/initial", new(2022, 6, 1))),
                new LesionMeasurement(48m, "lung", false, At("Observation/lung", new(2023, 12, 1))),
            ],
        };

        var result = Assess(facts);

        Assert.False(result.Factors.Single(f => f.Id == "largest-lesion-over-3cm").Present);
        Assert.Equal("Observation/size-0", result.Factors.Single(f => f.Id == "largest-lesion-over-3cm").Evidence.Single().Reference);
    }

    [Fact]
    public void Unknown_size_with_enough_other_factors_is_decided_and_lists_the_missing_input_as_not_decisive()
    {
        var result = Assess(Recurrent(nodePositive: true, largestMm: null, recurrence: EarlyRecurrence, rasMutated: true));

        Assert.Equal(RiskGroup.High, result.RiskGroup);
        var missing = Assert.Single(result.Missing);
        Assert.Equal("largest-lesion-over-3cm", missing.Id);
        Assert.False(missing.ChangesRiskGroup);
        Assert.Equal(new ScoreRange(13.99m, 18.71m), result.ScoreRange);
    }

    // SPEC 7.6: the size at recurrence is the largest measurement from the recurrence date to 90 days after it, and
    // before any treatment of the recurrence.
    [Fact]
    public void The_largest_of_several_measurements_at_recurrence_is_the_size()
    {
        // 31, 30 and 29 mm: the largest is over 3 cm.
        Assert.True(Factor(Recurrent(largestMm: 31m, lesionMeasurements: 3), LargeLesion).Present);
    }

    [Theory]
    [InlineData(90, true)]
    [InlineData(91, false)]
    public void A_measurement_counts_up_to_90_days_after_the_recurrence(int daysAfter, bool counts)
    {
        var facts = Recurrent(largestMm: 20m) with
        {
            LesionMeasurements =
            [
                new LesionMeasurement(20m, "lesion-a", true, At("Observation/size-a", LateRecurrence.AddDays(3))),
                new LesionMeasurement(45m, "lesion-b", true, At("Observation/size-b", LateRecurrence.AddDays(daysAfter))),
            ],
        };

        Assert.Equal(counts, Factor(facts, LargeLesion).Present);
    }

    [Theory]
    [InlineData(0, false)] // measured on the day of the treatment: the resected specimen, not the recurrence as found
    [InlineData(-1, true)]
    public void A_measurement_counts_only_before_the_treatment_of_the_recurrence(int daysFromTreatment, bool counts)
    {
        var treatment = LateRecurrence.AddDays(40);
        var facts = Recurrent(largestMm: 20m) with
        {
            LiverResections = [At("Procedure/hepatectomy", Hepatectomy, "Hepatectomy"), At("Procedure/re-resection", treatment, "Repeat hepatectomy")],
            LesionMeasurements =
            [
                new LesionMeasurement(20m, "lesion-a", true, At("Observation/size-a", LateRecurrence.AddDays(3))),
                new LesionMeasurement(45m, "lesion-b", true, At("Observation/size-b", treatment.AddDays(daysFromTreatment))),
            ],
        };

        Assert.Equal(counts, Factor(facts, LargeLesion).Present);
    }

    private const string LargeLesion = "largest-lesion-over-3cm";
}
