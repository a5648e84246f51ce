using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// What every assessment carries besides the score: the answer when the liver metastasis may be coded in a way the service
/// does not know (SPEC 7.7), the caveats where the model applies or not (SPEC 4), the notes of the timeline, the what-if
/// marking, and a borderline size only when it decides the group.
/// </summary>
public class AssessmentOutputTests
{
    private static readonly ReviewItem UnclassifiedCancer = new("Condition/other", "diagnosis of 2023-11-20: Neoplasm of liver", "a malignant condition the service cannot classify");

    [Fact]
    public void A_colorectal_primary_with_an_unclassified_malignant_condition_and_no_liver_metastasis_says_it_may_be_unrecognised()
    {
        var facts = Recurrent() with { LiverMetastases = [], Review = [UnclassifiedCancer] };

        var result = Assess(facts);

        Assert.Equal(RiskGroup.NotApplicable, result.RiskGroup);
        Assert.Equal("liver-metastasis-not-recognised", Assert.Single(result.NotApplicableReasons).Code);
        Assert.Contains(result.Review, r => r.Reference == "Condition/other");
    }

    [Fact]
    public void A_colorectal_primary_alone_with_an_unclassified_condition_is_enough_to_say_so()
    {
        var facts = Recurrent() with { LiverMetastases = [], LiverResections = [], Review = [UnclassifiedCancer] };

        Assert.Equal("liver-metastasis-not-recognised", Assert.Single(Assess(facts).NotApplicableReasons).Code);
    }

    [Fact]
    public void Without_a_primary_or_a_liver_resection_an_unclassified_condition_does_not_suggest_crlm()
    {
        var facts = new ClinicalFacts { Review = [UnclassifiedCancer] };

        Assert.Equal(RiskGroup.NoCrlm, Assess(facts).RiskGroup);
    }

    [Fact]
    public void Without_anything_to_review_no_liver_metastasis_is_no_crlm()
    {
        Assert.Equal(RiskGroup.NoCrlm, Assess(Recurrent() with { LiverMetastases = [] }).RiskGroup);
    }

    [Fact]
    public void The_resectability_caveat_is_given_only_where_the_model_applies()
    {
        var applies = Assess(Recurrent());
        var notApplicable = Assess(Recurrent() with { ExtrahepaticMetastases = [Dx("Condition/lung", new(2023, 6, 1))] });

        Assert.Contains(applies.Caveats, c => c.Contains("technically resectable", StringComparison.Ordinal));
        Assert.DoesNotContain(notApplicable.Caveats, c => c.Contains("technically resectable", StringComparison.Ordinal));
        Assert.Contains(notApplicable.Caveats, c => c.Contains("does not replace", StringComparison.Ordinal));
    }

    [Fact]
    public void The_timelines_notes_are_kept_when_the_model_does_not_apply()
    {
        var facts = Recurrent() with
        {
            LiverResections = [At("Procedure/old", new(2015, 5, 1), "Wedge resection of liver"), At("Procedure/hepatectomy", Hepatectomy)],
            ExtrahepaticMetastases = [Dx("Condition/lung", new(2023, 6, 1))],
        };

        var result = Assess(facts);

        Assert.Equal(RiskGroup.NotApplicable, result.RiskGroup);
        Assert.Contains(result.DataWarnings, w => w.Contains("predates", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, "what-if: assumed present (record: ")]
    [InlineData(false, "what-if: assumed absent (record: ")]
    public void An_assumed_factor_says_what_was_assumed_and_what_the_record_says(bool assumed, string start)
    {
        var result = new CrlmAssessor(ModelDefinition.Liu2021).Assess(Recurrent(rasMutated: null), new Dictionary<string, bool> { ["ras-mutation"] = assumed });

        var ras = result.Factors.Single(f => f.Id == "ras-mutation");
        Assert.StartsWith(start, ras.Value, StringComparison.Ordinal);
        Assert.EndsWith("RAS status not recorded)", ras.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_size_within_a_millimetre_of_30_mm_is_for_review_only_when_it_decides_the_group()
    {
        // Nothing else present: 0 or 4.72 points, low either way.
        var undecisive = Assess(Recurrent(largestMm: 30.5m));
        // Early recurrence and a RAS mutation (8.53): the lesion's 4.72 points take the total over 13.
        var decisive = Assess(Recurrent(largestMm: 30.5m, recurrence: EarlyRecurrence, rasMutated: true));

        Assert.DoesNotContain(undecisive.Review, r => r.Reference == "Observation/size-0");
        Assert.Equal(RiskGroup.High, decisive.RiskGroup);
        Assert.Contains(decisive.Review, r => r.Reference == "Observation/size-0" && r.Reason.Contains("30 mm cut-off", StringComparison.Ordinal));
    }
}
