using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>SPEC section 1: who the model is for, and the plain-words reasons when it is not.</summary>
public class EligibilityTests
{
    [Fact]
    public void No_liver_metastasis_on_record_is_no_crlm_and_nothing_is_scored()
    {
        var result = Assess(Recurrent() with { LiverMetastases = [] });

        Assert.Equal(RiskGroup.NoCrlm, result.RiskGroup);
        Assert.Empty(result.Factors);
        Assert.Null(result.Score);
        Assert.Equal(RecommendationKind.NotAssessed, result.Recommendation.Kind);
    }

    [Fact]
    public void Colorectal_cancer_without_any_liver_metastasis_is_no_crlm()
    {
        var result = Assess(Recurrent() with { LiverMetastases = [], LiverResections = [] });

        Assert.Equal(RiskGroup.NoCrlm, result.RiskGroup);
    }

    [Fact]
    public void Liver_metastasis_without_a_colorectal_primary_on_record_is_not_applicable_and_says_so()
    {
        var result = Assess(Recurrent() with { ColorectalPrimaries = [] });

        Assert.Equal(RiskGroup.NotApplicable, result.RiskGroup);
        Assert.Equal("no-colorectal-primary", Assert.Single(result.NotApplicableReasons).Code);
    }

    [Fact]
    public void Extrahepatic_metastasis_after_hepatectomy_makes_the_model_not_applicable()
    {
        var result = Assess(Recurrent() with { ExtrahepaticMetastases = [Dx("Condition/lung", new(2023, 10, 1), "Secondary malignant neoplasm of lung")] });

        Assert.Equal(RiskGroup.NotApplicable, result.RiskGroup);
        var reason = Assert.Single(result.NotApplicableReasons);
        Assert.Equal("extrahepatic-disease", reason.Code);
        Assert.Contains("Secondary malignant neoplasm of lung, record of 2023-10-01", reason.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Condition/", reason.Detail, StringComparison.Ordinal); // clinician text never shows FHIR ids
        Assert.Empty(result.Factors);
        Assert.Null(result.ScoreRange);
    }

    [Fact]
    public void Extrahepatic_metastasis_cleared_before_hepatectomy_does_not_exclude_but_an_active_or_undated_one_does()
    {
        var cleared = Assess(Recurrent() with { ExtrahepaticMetastases = [Dx("Condition/lung", new(2022, 6, 1), state: ClinicalState.Resolved, abated: new(2022, 9, 1))] });
        var stillActive = Assess(Recurrent() with { ExtrahepaticMetastases = [Dx("Condition/lung", new(2022, 6, 1))] });
        var undated = Assess(Recurrent() with { ExtrahepaticMetastases = [Dx("Condition/lung", null)] });

        Assert.Equal(RiskGroup.Low, cleared.RiskGroup);
        Assert.Empty(cleared.Review);
        Assert.Equal(RiskGroup.NotApplicable, stillActive.RiskGroup);
        Assert.Equal(RiskGroup.NotApplicable, undated.RiskGroup);
    }

    [Fact]
    public void Recurrence_after_a_repeat_local_treatment_is_a_later_recurrence()
    {
        var facts = Recurrent();
        facts = facts with
        {
            LiverAblations = [At("Procedure/rfa", new(2023, 12, 10))],
            LiverMetastases = [.. facts.LiverMetastases, Dx("Condition/second-recurrence", new(2024, 9, 1))],
        };

        var result = Assess(facts);

        Assert.Equal(RiskGroup.NotApplicable, result.RiskGroup);
        Assert.Equal("later-recurrence", Assert.Single(result.NotApplicableReasons).Code);
    }

    [Fact]
    public void First_recurrence_already_treated_locally_keeps_its_risk_group_as_context_and_recommends_nothing()
    {
        var result = Assess(Recurrent() with { LiverResections = [At("Procedure/hepatectomy", Hepatectomy), At("Procedure/repeat", new(2024, 1, 5))] });

        Assert.Equal(RiskGroup.Low, result.RiskGroup);
        Assert.Equal(RecommendationKind.AlreadyTreated, result.Recommendation.Kind);
        Assert.Empty(result.Recommendation.Modalities);
        Assert.Contains("2024-01-05", result.Recommendation.Summary, StringComparison.Ordinal);
        Assert.Equal("Procedure/hepatectomy", result.FirstHepatectomy!.Reference);
        Assert.Equal("Condition/recurrence", result.Recurrence!.Reference);
    }

    [Fact]
    public void Every_failing_condition_is_reported_not_only_the_first()
    {
        var result = Assess(Recurrent() with
        {
            ColorectalPrimaries = [],
            ExtrahepaticMetastases = [Dx("Condition/peritoneum", new(2023, 12, 1))],
        });

        Assert.Equal(["no-colorectal-primary", "extrahepatic-disease"], result.NotApplicableReasons.Select(r => r.Code));
    }

    [Theory]
    [InlineData("no-prior-hepatectomy")]
    [InlineData("hepatectomy-undated")]
    public void A_missing_or_undated_hepatectomy_is_named(string code)
    {
        IReadOnlyList<Evidence> resections = code == "hepatectomy-undated" ? [At("Procedure/hepatectomy", null)] : [];

        var result = Assess(Recurrent() with { LiverResections = resections });

        Assert.Equal(RiskGroup.NotApplicable, result.RiskGroup);
        Assert.Equal(code, Assert.Single(result.NotApplicableReasons).Code);
        Assert.Null(result.SupportingScores);
    }

    [Fact]
    public void Liver_metastasis_only_before_the_hepatectomy_is_not_a_recurrence()
    {
        var result = Assess(Recurrent() with { LiverMetastases = [Dx("Condition/synchronous", new(2022, 6, 1))] });

        Assert.Equal("no-recurrence-after-hepatectomy", Assert.Single(result.NotApplicableReasons).Code);
    }

    [Fact]
    public void Recurrence_date_is_the_earliest_liver_metastasis_after_the_hepatectomy()
    {
        var facts = Recurrent();
        facts = facts with { LiverMetastases = [.. facts.LiverMetastases, Dx("Condition/restaged", new(2024, 2, 1))] };

        var result = Assess(facts);

        Assert.Equal("Condition/recurrence", result.Recurrence!.Reference);
    }
}
