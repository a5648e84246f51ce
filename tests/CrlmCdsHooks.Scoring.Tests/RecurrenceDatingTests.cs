using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 7.3 and 7.2 on their edges: the imaging that dates a recurrence, what a finding just after a local treatment
/// describes, and what is listed for review when no recurrence can be found. Hepatectomy 2023-01-15.
/// </summary>
public class RecurrenceDatingTests
{
    private static readonly DateOnly Onset = Hepatectomy.AddMonths(9);

    private static Assessment WithImaging(params int[] daysBeforeOnset) => Assess(Recurrent(recurrence: Onset) with
    {
        LesionMeasurements = [.. daysBeforeOnset.Select(d => new LesionMeasurement(20, $"lesion-{d}", true, At($"Observation/ct-{d}", Onset.AddDays(-d))))],
    });

    [Theory]
    [InlineData(90, true)]  // "no more than 90 days before the onset"
    [InlineData(91, false)]
    [InlineData(0, false)]  // on the day of the onset: the onset dates it
    public void Imaging_dates_the_recurrence_only_when_strictly_before_the_onset_and_at_most_90_days_earlier(int daysBefore, bool datesIt)
    {
        var result = WithImaging(daysBefore);

        Assert.Equal(datesIt ? Onset.AddDays(-daysBefore) : Onset, result.Recurrence!.Date);
        Assert.Equal(datesIt, result.Factors.Single(f => f.Id == "early-recurrence").Notes.Any(n => n.StartsWith("Dated by the imaging", StringComparison.Ordinal)));
    }

    [Fact]
    public void Of_several_imagings_before_the_onset_the_earliest_dates_the_recurrence()
    {
        Assert.Equal(Onset.AddDays(-80), WithImaging(20, 80).Recurrence!.Date);
    }

    [Fact]
    public void A_liver_finding_days_after_the_ablation_of_the_recurrence_describes_the_ablated_disease_not_a_later_recurrence()
    {
        var ablated = LateRecurrence.AddDays(20);
        var result = Assess(Recurrent() with
        {
            LiverAblations = [At("Procedure/rfa", ablated, "Radiofrequency ablation of liver")],
            LiverMetastases =
            [
                Dx("Condition/synchronous", new(2022, 6, 1)),
                Dx("Condition/recurrence", LateRecurrence),
                Dx("Condition/after-rfa", ablated.AddDays(10)),
            ],
        });

        Assert.Empty(result.NotApplicableReasons);
        Assert.Equal(RecommendationKind.AlreadyTreated, result.Recommendation.Kind);
    }

    [Fact]
    public void An_undated_liver_metastasis_asks_for_its_date_and_no_lesion_is_listed_besides()
    {
        var result = Assess(Recurrent() with
        {
            LiverMetastases = [Dx("Condition/synchronous", new(2022, 6, 1)), Dx("Condition/undated", null)],
            LesionMeasurements = [new LesionMeasurement(20, "lesion", true, At("Observation/ct", LateRecurrence))],
        });

        Assert.Equal("recurrence-undated", Assert.Single(result.NotApplicableReasons).Code);
        Assert.DoesNotContain(result.Review, r => r.Reference == "Observation/ct");
    }

    [Fact]
    public void Liver_disease_recorded_as_a_recurrence_on_the_day_of_the_first_hepatectomy_is_the_resected_disease_not_a_contradiction()
    {
        var result = Assess(Recurrent() with
        {
            LiverMetastases =
            [
                Dx("Condition/synchronous", new(2022, 6, 1)),
                Dx("Condition/on-the-day", Hepatectomy) with { RecordedAsRecurrence = true },
                Dx("Condition/recurrence", LateRecurrence),
            ],
        });

        Assert.DoesNotContain(result.Review, r => r.Reference == "Condition/on-the-day");
    }

    [Fact]
    public void With_no_recurrence_the_first_later_local_treatment_is_listed_and_an_unrelated_older_resection_is_not()
    {
        var result = Assess(Recurrent() with
        {
            LiverMetastases = [Dx("Condition/synchronous", new(2022, 6, 1))],
            LiverResections = [At("Procedure/old", new(2015, 5, 1)), At("Procedure/hepatectomy", Hepatectomy), At("Procedure/re-resection", new(2024, 3, 1))],
            LiverAblations = [At("Procedure/rfa", new(2023, 10, 1))],
        });

        Assert.Equal("no-recurrence-after-hepatectomy", Assert.Single(result.NotApplicableReasons).Code);
        var listed = result.Review.Where(r => r.Reason.Contains("a recurrence may have been treated", StringComparison.Ordinal)).ToList();
        Assert.Equal("Procedure/rfa", Assert.Single(listed).Reference);
    }
}
