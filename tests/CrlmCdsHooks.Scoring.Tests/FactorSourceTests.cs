using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// Which record each factor rests on, and what it says about it (SPEC 7.3 and 7.6): N categories of the primary only,
/// regional nodes when no N category is recorded, the imaging that dated the recurrence, sizes from the recurrence day.
/// </summary>
public class FactorSourceTests
{
    private static FactorResult Node(ClinicalFacts facts) => Assess(facts).Factors.Single(f => f.Id == "node-positive-primary");

    [Fact]
    public void An_n_category_recorded_after_the_hepatectomy_is_not_the_primarys_and_the_factor_says_so()
    {
        var facts = Recurrent(nodePositive: false) with
        {
            NodalStagings = [new NodalStaging(false, "pN0", true, At("Observation/pn0", new(2022, 7, 1))), new NodalStaging(true, "pN1", true, At("Observation/pn1-later", new(2023, 6, 1)))],
        };

        var node = Node(facts);

        Assert.False(node.Present);
        Assert.Equal(["Observation/pn0"], node.Evidence.Select(e => e.Reference));
        Assert.Contains(node.Notes, n => n.StartsWith("An N category recorded after the hepatectomy", StringComparison.Ordinal));
        Assert.DoesNotContain(Node(Recurrent(nodePositive: false)).Notes, n => n.StartsWith("An N category recorded after", StringComparison.Ordinal));
    }

    [Fact]
    public void With_no_n_category_a_lymph_node_metastasis_of_the_primary_makes_it_node_positive()
    {
        var facts = Recurrent(nodePositive: null) with
        {
            PrimaryResections = [At("Procedure/colectomy", new(2022, 6, 10))],
            LymphNodeMetastases = [Dx("Condition/nodes", new(2022, 6, 10), "Secondary malignant neoplasm of lymph nodes")],
        };

        var node = Node(facts);

        Assert.True(node.Present);
        Assert.Equal(["Condition/nodes"], node.Evidence.Select(e => e.Reference));
    }

    [Fact]
    public void A_clinical_n_category_is_used_only_without_a_pathological_one_and_says_so()
    {
        var clinicalOnly = Recurrent(nodePositive: null) with { NodalStagings = [new NodalStaging(true, "cN1", false, At("Observation/cn1", new(2022, 6, 1)))] };

        Assert.True(Node(clinicalOnly).Present);
        Assert.Contains(Node(clinicalOnly).Notes, n => n.StartsWith("Clinical N category used", StringComparison.Ordinal));
        Assert.DoesNotContain(Node(Recurrent(nodePositive: true)).Notes, n => n.StartsWith("Clinical N category used", StringComparison.Ordinal));
    }

    [Fact]
    public void A_recurrence_dated_by_the_imaging_that_found_it_names_that_imaging_and_one_dated_by_its_diagnosis_does_not()
    {
        var imagingDate = LateRecurrence.AddDays(-20);
        var found = Recurrent() with { LesionMeasurements = [new LesionMeasurement(20m, "lesion", true, At("Observation/ct", imagingDate))] };

        var early = Assess(found).Factors.Single(f => f.Id == "early-recurrence");
        var plain = Assess(Recurrent()).Factors.Single(f => f.Id == "early-recurrence");

        Assert.Contains(early.Evidence, e => e.Reference == "Observation/ct");
        Assert.Contains(early.Notes, n => n.StartsWith($"Dated by the imaging that found it ({imagingDate:yyyy-MM-dd})", StringComparison.Ordinal));
        Assert.Empty(plain.Notes);
    }

    [Fact]
    public void A_lesion_measured_on_the_day_of_the_recurrence_is_its_size()
    {
        var facts = Recurrent() with { LesionMeasurements = [new LesionMeasurement(40m, "lesion", true, At("Observation/ct", LateRecurrence))] };

        Assert.True(Assess(facts).Factors.Single(f => f.Id == "largest-lesion-over-3cm").Present);
    }

    [Fact]
    public void A_lesion_count_recorded_on_the_hepatectomy_day_counts_the_resected_disease_not_the_recurrence()
    {
        var facts = Recurrent() with { LesionCounts = [new LesionCount(5, At("Observation/count", Hepatectomy))] };

        var more = Assess(facts).SupportingScores!.Fong.Score.Items.Single(i => i.Id == "more-than-one-tumour");

        Assert.False(more.Finding.Present); // the one lesion measured at recurrence
    }

    [Fact]
    public void An_n_category_dated_on_the_hepatectomy_day_is_the_primarys_as_with_a_simultaneous_resection()
    {
        var facts = Recurrent(nodePositive: null) with { NodalStagings = [new NodalStaging(true, "pN1", true, At("Observation/pn1", Hepatectomy))] };

        Assert.True(Node(facts).Present);
    }
}
