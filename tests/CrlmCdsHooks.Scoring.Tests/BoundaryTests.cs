using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// Each cut-off pinned on both sides of its boundary, in the direction SPEC sections 5 and 7 give: the supporting scores'
/// items, which CEA and which lesion count are read, conflicting N categories, and records dated on the hepatectomy day.
/// </summary>
public class BoundaryTests
{
    private static Finding FongItem(ClinicalFacts facts, string id) =>
        Assess(facts).SupportingScores!.Fong.Score.Items.Single(i => i.Id == id).Finding;

    private static Finding KobayashiItem(ClinicalFacts facts, string id) =>
        Assess(facts).SupportingScores!.Kobayashi.Factors.Items.Single(i => i.Id == id).Finding;

    private static CeaResult Cea(decimal value, DateOnly date) => new(value, At($"Observation/cea-{date:yyyyMMdd}", date));

    private static LesionCount Count(int count, DateOnly date) => new(count, At($"Observation/count-{date:yyyyMMdd}", date));

    // ---- Fong clinical risk score (SPEC 5): CEA > 200 ng/mL, > 1 tumour, largest > 5 cm, interval < 12 months

    [Theory]
    [InlineData(200, false)]
    [InlineData(200.1, true)]
    public void Fong_counts_a_cea_strictly_over_200(double cea, bool present)
    {
        var facts = Recurrent() with { CeaResults = [Cea((decimal)cea, LateRecurrence)] };

        Assert.Equal(present, FongItem(facts, "cea-over-200").Present);
    }

    [Theory]
    [InlineData(500, 5, false)]
    [InlineData(5, 500, true)]
    public void Fong_reads_the_latest_cea_since_the_hepatectomy_not_the_earliest(double earlier, double later, bool present)
    {
        var facts = Recurrent() with { CeaResults = [Cea((decimal)later, LateRecurrence), Cea((decimal)earlier, Hepatectomy.AddDays(20))] };

        var cea = FongItem(facts, "cea-over-200");

        Assert.Equal(present, cea.Present);
        Assert.Equal(LateRecurrence, Assert.Single(cea.Evidence).Date);
    }

    [Fact]
    public void A_cea_from_before_or_on_the_hepatectomy_day_is_not_the_recurrences()
    {
        var facts = Recurrent() with { CeaResults = [Cea(900m, Hepatectomy), Cea(900m, Hepatectomy.AddDays(-10))] };

        Assert.Null(FongItem(facts, "cea-over-200").Present);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Fong_counts_more_than_one_tumour(int lesions, bool present)
    {
        var facts = Recurrent() with { LesionCounts = [Count(lesions, LateRecurrence)] };

        Assert.Equal(present, FongItem(facts, "more-than-one-tumour").Present);
    }

    [Fact]
    public void A_recorded_lesion_count_is_used_over_the_lesions_measured()
    {
        // Three lesions measured, but the radiologist's count says one: the count is the record's statement.
        var facts = Recurrent(lesionMeasurements: 3) with { LesionCounts = [Count(1, LateRecurrence)] };

        var item = FongItem(facts, "more-than-one-tumour");

        Assert.False(item.Present);
        Assert.Equal("1 lesion (recorded count)", item.Value);
    }

    [Fact]
    public void The_latest_recorded_lesion_count_since_the_hepatectomy_is_used()
    {
        var facts = Recurrent() with
        {
            LesionCounts = [Count(5, LateRecurrence.AddDays(10)), Count(1, LateRecurrence), Count(9, Hepatectomy)],
        };

        Assert.True(KobayashiItem(facts, "four-or-more-tumours").Present);
        Assert.True(FongItem(facts, "more-than-one-tumour").Present);
    }

    [Fact]
    public void Without_a_recorded_count_the_distinct_lesions_measured_are_counted()
    {
        var facts = Recurrent(lesionMeasurements: 2);

        var item = FongItem(facts, "more-than-one-tumour");

        Assert.True(item.Present);
        Assert.Equal("2 lesions (counted from measurements)", item.Value);
    }

    [Theory]
    [InlineData(50, false)]
    [InlineData(50.5, true)]
    public void Fong_counts_a_largest_tumour_strictly_over_5_cm(double millimetres, bool present)
    {
        Assert.Equal(present, FongItem(Recurrent(largestMm: (decimal)millimetres), "largest-tumour-over-5cm").Present);
    }

    [Theory]
    [InlineData(0, false)]   // exactly 12 months: not under 12
    [InlineData(-1, true)]
    public void Fong_counts_a_disease_free_interval_under_12_months(int daysFromTwelveMonths, bool present)
    {
        var facts = Recurrent(recurrence: Hepatectomy.AddMonths(12).AddDays(daysFromTwelveMonths));

        Assert.Equal(present, FongItem(facts, "disease-free-interval-under-12-months").Present);
    }

    [Theory]
    [InlineData(false, 1, "low")]    // interval < 12 months only
    [InlineData(true, 1, "low")]     // + node-positive: 2
    [InlineData(true, 2, "high")]    // + more than one tumour: 3
    public void Fong_groups_0_to_2_as_low_and_3_to_5_as_high(bool nodePositive, int lesions, string group)
    {
        var facts = Recurrent(nodePositive: nodePositive, recurrence: EarlyRecurrence) with
        {
            LesionCounts = [Count(lesions, EarlyRecurrence)],
            CeaResults = [Cea(3m, EarlyRecurrence)],
        };

        Assert.Equal(group, Assess(facts).SupportingScores!.Fong.Group);
    }

    // ---- Kobayashi 2024 (SPEC 5): >= 4 tumours, a tumour >= 5 cm

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void Kobayashi_counts_four_or_more_tumours(int lesions, bool present)
    {
        var facts = Recurrent() with { LesionCounts = [Count(lesions, LateRecurrence)] };

        Assert.Equal(present, KobayashiItem(facts, "four-or-more-tumours").Present);
    }

    [Theory]
    [InlineData(49.5, false)]
    [InlineData(50, true)]
    public void Kobayashi_counts_a_tumour_of_5_cm_or_larger(double millimetres, bool present)
    {
        Assert.Equal(present, KobayashiItem(Recurrent(largestMm: (decimal)millimetres), "tumour-5cm-or-larger").Present);
    }

    [Theory]
    [InlineData(59.5, 4, true, true)]
    [InlineData(60, 5, false, false)]
    public void Conversion_context_reads_under_6_cm_and_at_most_four_lesions(double millimetres, int lesions, bool under6Cm, bool atMostFour)
    {
        var facts = Recurrent(largestMm: (decimal)millimetres) with { LesionCounts = [Count(lesions, LateRecurrence)] };

        var conversion = Assess(facts).SupportingScores!.Conversion;

        Assert.Equal(under6Cm, conversion.LargestUnder6Cm.Present);
        Assert.Equal(atMostFour, conversion.AtMostFourLesions.Present);
    }

    // ---- N category (SPEC 7.6)

    [Fact]
    public void Conflicting_pathological_n_categories_are_reported_and_left_unknown()
    {
        var facts = Recurrent() with
        {
            NodalStagings =
            [
                new NodalStaging(false, "pN0", true, At("Observation/pn0", new(2022, 7, 1))),
                new NodalStaging(true, "pN1a", true, At("Observation/pn1", new(2022, 7, 2))),
            ],
        };

        var node = Assess(facts).Factors.Single(f => f.Id == "node-positive-primary");

        Assert.Null(node.Present);
        Assert.Contains(node.Notes, n => n.Contains("conflicting N categories", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pathological_n_category_beats_a_conflicting_clinical_one()
    {
        var facts = Recurrent() with
        {
            NodalStagings =
            [
                new NodalStaging(true, "cN1", false, At("Observation/cn", new(2022, 5, 1))),
                new NodalStaging(false, "pN0", true, At("Observation/pn", new(2022, 7, 1))),
            ],
        };

        Assert.False(Assess(facts).Factors.Single(f => f.Id == "node-positive-primary").Present);
    }

    // ---- records dated on the hepatectomy day (SPEC 7.3-7.5)

    [Fact]
    public void Extrahepatic_disease_with_its_onset_on_the_hepatectomy_day_rules_the_model_out()
    {
        // No clinical status: before the hepatectomy this would be a review item; on the day it is "on or after".
        var result = Assess(Recurrent() with { ExtrahepaticMetastases = [Dx("Condition/lung", Hepatectomy, state: ClinicalState.Unknown)] });

        Assert.Contains(result.NotApplicableReasons, r => r.Code == "extrahepatic-disease");
    }

    [Theory]
    [InlineData(0, true)]     // abated on the hepatectomy day: not cleared before it
    [InlineData(-1, false)]   // abated the day before: cleared
    public void Extrahepatic_disease_abated_on_the_hepatectomy_day_was_not_cleared_before_it(int abatedDaysFromHepatectomy, bool rulesOut)
    {
        var lung = Dx("Condition/lung", new(2022, 6, 1), state: ClinicalState.Resolved, abated: Hepatectomy.AddDays(abatedDaysFromHepatectomy));

        var result = Assess(Recurrent() with { ExtrahepaticMetastases = [lung] });

        Assert.Equal(rulesOut, result.NotApplicableReasons.Any(r => r.Code == "extrahepatic-disease"));
    }

    [Theory]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public void A_liver_lesion_measured_after_the_resected_disease_window_without_a_diagnosis_is_a_review_item(int daysAfter, bool review)
    {
        var facts = Recurrent() with
        {
            LiverMetastases = [Dx("Condition/synchronous", new(2022, 6, 1))],
            LesionMeasurements = [new LesionMeasurement(15m, "lesion", true, At("Observation/size", Hepatectomy.AddDays(daysAfter)))],
        };

        var result = Assess(facts);

        Assert.Equal(review, result.Review.Any(r => r.Reference == "Observation/size"));
    }
}
