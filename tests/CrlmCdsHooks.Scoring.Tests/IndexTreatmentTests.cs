using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 7.2: which resection is the index hepatectomy, and when resections are one staged treatment; and the interval
/// to recurrence in whole calendar months, as the card states it.
/// </summary>
public class IndexTreatmentTests
{
    [Fact]
    public void A_resection_on_the_day_the_first_cancer_was_diagnosed_is_the_index_hepatectomy()
    {
        var diagnosed = new DateOnly(2022, 6, 1); // the primary's and the synchronous metastasis's date in Facts
        var result = Assess(Recurrent() with { LiverResections = [At("Procedure/same-day", diagnosed, "Hepatectomy")] });

        Assert.Equal("Procedure/same-day", result.FirstHepatectomy!.Reference);
        Assert.DoesNotContain(result.DataWarnings, w => w.Contains("predates", StringComparison.Ordinal));
    }

    [Fact]
    public void A_liver_metastasis_found_before_the_primary_dates_the_first_cancer()
    {
        // The liver disease was diagnosed first; the resection between the two diagnoses is related to the cancer.
        var facts = Recurrent() with
        {
            ColorectalPrimaries = [Dx("Condition/primary", new(2022, 4, 1))],
            LiverMetastases = [Dx("Condition/synchronous", new(2022, 3, 1)), Dx("Condition/recurrence", LateRecurrence)],
            LiverResections = [At("Procedure/hepatectomy", new(2022, 3, 15), "Hepatectomy")],
        };

        Assert.Equal("Procedure/hepatectomy", Assess(facts).FirstHepatectomy!.Reference);
    }

    [Fact]
    public void A_staged_treatment_is_noted_with_its_stages_and_a_single_resection_is_not()
    {
        var staged = Assess(Recurrent() with { LiverResections = [At("Procedure/stage-1", Hepatectomy), At("Procedure/stage-2", Hepatectomy.AddDays(60))] });
        var single = Assess(Recurrent());

        Assert.Contains("Index treatment: staged hepatectomy in 2 stages (2023-01-15, 2023-03-16); intervals count from the last stage.", staged.DataWarnings);
        Assert.DoesNotContain(single.DataWarnings, w => w.StartsWith("Index treatment", StringComparison.Ordinal));
    }

    [Fact]
    public void A_portal_vein_embolisation_after_the_second_resection_does_not_join_resections_far_apart()
    {
        var second = Hepatectomy.AddDays(150);
        var facts = Recurrent(recurrence: second.AddMonths(8)) with
        {
            LiverResections = [At("Procedure/first", Hepatectomy), At("Procedure/second", second)],
            LiverStagingProcedures = [At("Procedure/pve", second.AddDays(10), "Portal vein embolisation")],
        };

        Assert.Equal("later-recurrence", Assert.Single(Assess(facts).NotApplicableReasons).Code);
    }

    [Theory]
    [InlineData(30)] // the first stage's specimen or post-operative imaging: the resected disease (SPEC 7.3)
    [InlineData(60)] // the day of the second stage: what it resected
    public void A_liver_metastasis_recorded_with_a_stage_describes_the_resected_disease_and_keeps_the_stages_together(int daysAfterFirstStage)
    {
        var secondStage = Hepatectomy.AddDays(60);
        var facts = Recurrent() with
        {
            LiverResections = [At("Procedure/stage-1", Hepatectomy), At("Procedure/stage-2", secondStage)],
            LiverMetastases =
            [
                Dx("Condition/synchronous", new(2022, 6, 1)),
                Dx("Condition/specimen", Hepatectomy.AddDays(daysAfterFirstStage)),
                Dx("Condition/recurrence", LateRecurrence),
            ],
        };

        var result = Assess(facts);

        Assert.Equal("Procedure/stage-2", result.FirstHepatectomy!.Reference);
        Assert.Empty(result.NotApplicableReasons);
    }

    [Theory]
    [InlineData("2023-11-20", 10)]
    [InlineData("2023-11-14", 9)]  // the day before the tenth monthly anniversary
    [InlineData("2023-11-15", 10)] // the anniversary itself
    [InlineData("2024-02-14", 12)] // across the year boundary
    [InlineData("2025-01-15", 24)]
    public void The_interval_to_recurrence_is_counted_in_whole_calendar_months(string recurrence, int months)
    {
        var timeline = RecurrenceTimeline.From(Recurrent(recurrence: DateOnly.Parse(recurrence, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(months, timeline.MonthsToRecurrence());
    }

    [Fact]
    public void A_single_resection_is_described_by_its_name_and_date()
    {
        var single = new IndexTreatment([At("Procedure/hepatectomy", Hepatectomy, "Right hepatectomy")]);

        Assert.False(single.Staged);
        Assert.Equal("Right hepatectomy, 2023-01-15", single.Describe());
    }

    [Fact]
    public void An_ablation_during_the_hepatectomy_is_part_of_the_index_treatment_not_a_treated_recurrence()
    {
        // Intraoperative RFA with the resection (SPEC 7.2: only a treatment after the index one means a treated recurrence).
        var withRecurrence = Assess(Recurrent() with { LiverAblations = [At("Procedure/rfa", Hepatectomy, "Radiofrequency ablation of liver")] });
        var withoutRecurrence = Assess(Recurrent() with
        {
            LiverMetastases = [Dx("Condition/synchronous", new(2022, 6, 1))],
            LiverAblations = [At("Procedure/rfa", Hepatectomy, "Radiofrequency ablation of liver")],
        });

        Assert.Empty(withRecurrence.NotApplicableReasons);
        Assert.DoesNotContain(withoutRecurrence.Review, r => r.Reference == "Procedure/rfa");
    }
}
