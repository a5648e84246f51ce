using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 7.4: a recurrence already treated (locally, or by other liver-directed therapy), and SPEC 7.2's last rule: a
/// local treatment between the index treatment and this recurrence makes it a later recurrence. Hepatectomy 2023-01-15,
/// recurrence 2023-11-20.
/// </summary>
public class TreatedRecurrenceTests
{
    private static Evidence Ablation(DateOnly date, string reference = "Procedure/ablation") => At(reference, date, "Radiofrequency ablation of liver");

    [Fact]
    public void A_recurrence_diagnosed_on_the_day_of_its_ablation_is_read_as_the_treated_disease_and_the_ablation_listed_for_review()
    {
        // SPEC 7.3 (the treated-disease window, extended to ablations: docs/clinical-model.md) and 7.2: the ablation
        // shows a recurrence was treated, so "no recurrence" is never given calmly.
        var result = Assess(Recurrent() with { LiverAblations = [Ablation(LateRecurrence)] });

        Assert.Equal("no-recurrence-after-hepatectomy", Assert.Single(result.NotApplicableReasons).Code);
        Assert.Contains(result.Review, r => r.Reference == "Procedure/ablation" && r.Reason.Contains("a recurrence may have been treated", StringComparison.Ordinal));
    }

    [Fact]
    public void Of_two_local_treatments_after_the_recurrence_the_first_is_the_one_that_treated_it()
    {
        var result = Assess(Recurrent() with
        {
            LiverResections = [At("Procedure/hepatectomy", Hepatectomy, "Hepatectomy"), At("Procedure/re-resection", new(2024, 1, 10), "Repeat hepatectomy")],
            LiverAblations = [Ablation(new(2023, 12, 1))],
        });

        Assert.Equal(RecommendationKind.AlreadyTreated, result.Recommendation.Kind);
        Assert.StartsWith("Recurrence already treated locally (Radiofrequency ablation of liver, 2023-12-01)", result.Recommendation.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_liver_directed_therapy_from_the_recurrence_day_on_means_the_decision_has_passed_and_is_named()
    {
        var result = Assess(Recurrent() with
        {
            OtherLiverDirectedTherapies = [At("Procedure/sbrt", new(2024, 2, 1), "Stereotactic radiotherapy of liver"), At("Procedure/tace", LateRecurrence, "Chemoembolisation of liver")],
        });

        Assert.Equal(RecommendationKind.AlreadyTreated, result.Recommendation.Kind);
        // Not the model's local treatment: said so, and the first such therapy is the one named.
        Assert.StartsWith("Liver-directed therapy already given (Chemoembolisation of liver, 2023-11-20)", result.Recommendation.Summary, StringComparison.Ordinal);
        Assert.Equal("Procedure/tace", Assert.Single(result.Review).Reference);
        Assert.Empty(result.Recommendation.Modalities);
    }

    [Fact]
    public void Other_liver_directed_therapy_before_the_recurrence_is_not_its_treatment()
    {
        var result = Assess(Recurrent() with { OtherLiverDirectedTherapies = [At("Procedure/tace", LateRecurrence.AddDays(-1), "Chemoembolisation of liver")] });

        Assert.NotEqual(RecommendationKind.AlreadyTreated, result.Recommendation.Kind);
        Assert.DoesNotContain(result.Review, r => r.Reference == "Procedure/tace");
    }

    [Fact]
    public void A_recurrence_recorded_as_resolved_with_no_treatment_on_record_asks_whether_it_was_treated()
    {
        var resolved = Recurrent() with
        {
            LiverMetastases = [Dx("Condition/synchronous", new(2022, 6, 1)), Dx("Condition/recurrence", LateRecurrence, state: ClinicalState.Resolved)],
        };

        var untreated = Assess(resolved);
        var ablated = Assess(resolved with { LiverAblations = [Ablation(new(2023, 12, 1))] });
        var otherTherapy = Assess(resolved with { OtherLiverDirectedTherapies = [At("Procedure/tace", new(2023, 12, 1), "Chemoembolisation of liver")] });

        Assert.Equal("Condition/recurrence", Assert.Single(untreated.Review).Reference);
        Assert.Contains("confirm whether it was treated", untreated.Review[0].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ablated.Review, r => r.Reference == "Condition/recurrence");
        Assert.DoesNotContain(otherTherapy.Review, r => r.Reference == "Condition/recurrence");
    }

    [Fact]
    public void A_recurrence_not_yet_treated_gets_a_treatment_recommendation()
    {
        var result = Assess(Recurrent());

        Assert.NotEqual(RecommendationKind.AlreadyTreated, result.Recommendation.Kind);
        Assert.NotEmpty(result.Recommendation.Modalities);
    }
}
