using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 7.2–7.6, one named rule at a time, on facts that differ from an eligible patient (hepatectomy 2023-01-15,
/// recurrence 2023-11-20) only in what the rule reads. Each test fails if its rule is removed or inverted.
/// </summary>
public class TimelineRuleTests
{
    // ---- 7.2 the index hepatectomy

    [Fact]
    public void A_liver_resection_before_any_cancer_diagnosis_is_not_the_index_hepatectomy_and_is_noted()
    {
        var facts = Recurrent() with { LiverResections = [At("Procedure/old", new(2015, 5, 1), "Wedge resection of liver"), At("Procedure/hepatectomy", Hepatectomy)] };

        var result = Assess(facts);

        Assert.Equal("Procedure/hepatectomy", result.FirstHepatectomy!.Reference);
        Assert.Contains(result.DataWarnings, w => w.Contains("2015-05-01", StringComparison.Ordinal) && w.Contains("predates", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_any_dated_cancer_diagnosis_no_resection_is_set_aside()
    {
        var facts = Recurrent() with
        {
            ColorectalPrimaries = [Dx("Condition/primary", null)],
            LiverMetastases = [Dx("Condition/recurrence", null)],
            LiverResections = [At("Procedure/old", new(2015, 5, 1))],
        };

        var result = Assess(facts);

        Assert.Equal("Procedure/old", result.FirstHepatectomy!.Reference);
    }

    [Theory]
    [InlineData(120, true)]
    [InlineData(121, false)]
    public void Resections_at_most_120_days_apart_are_one_staged_treatment_counted_from_the_last_stage(int daysApart, bool staged)
    {
        var second = Hepatectomy.AddDays(daysApart);
        var facts = Recurrent(recurrence: second.AddMonths(5)) with { LiverResections = [At("Procedure/stage-1", Hepatectomy), At("Procedure/stage-2", second)] };

        var result = Assess(facts);

        if (staged)
        {
            Assert.Equal("Procedure/stage-2", result.FirstHepatectomy!.Reference);
            Assert.True(result.Factors.Single(f => f.Id == "early-recurrence").Present); // 5 months after the last stage
        }
        else
            Assert.Equal("later-recurrence", Assert.Single(result.NotApplicableReasons).Code);
    }

    [Fact]
    public void A_portal_vein_embolisation_between_resections_makes_them_one_staged_treatment_at_any_interval()
    {
        var second = Hepatectomy.AddDays(200);
        var facts = Recurrent(recurrence: second.AddMonths(8)) with
        {
            LiverResections = [At("Procedure/stage-1", Hepatectomy), At("Procedure/stage-2", second)],
            LiverStagingProcedures = [At("Procedure/pve", Hepatectomy.AddDays(30))],
        };

        Assert.Equal("Procedure/stage-2", Assess(facts).FirstHepatectomy!.Reference);
    }

    [Fact]
    public void A_new_liver_lesion_between_two_resections_makes_the_second_a_treatment_of_a_recurrence()
    {
        var second = Hepatectomy.AddDays(100);
        var facts = Recurrent(recurrence: second.AddMonths(8));
        facts = facts with
        {
            LiverResections = [At("Procedure/hepatectomy", Hepatectomy), At("Procedure/repeat", second)],
            LiverMetastases = [.. facts.LiverMetastases, Dx("Condition/new-lesion", Hepatectomy.AddDays(60))],
        };

        Assert.Contains(Assess(facts).NotApplicableReasons, r => r.Code == "later-recurrence");
    }

    [Theory]
    // The recurrence's only diagnosis is dated on the day of its own repeat resection, or a few days after (pathology).
    [InlineData(0)]
    [InlineData(12)]
    public void A_later_liver_resection_with_no_recurrence_dated_before_it_is_listed_for_review_not_read_as_no_recurrence(int diagnosisDaysAfter)
    {
        var repeat = LateRecurrence;
        var facts = Recurrent() with
        {
            LiverResections = [At("Procedure/hepatectomy", Hepatectomy), At("Procedure/repeat", repeat)],
            LiverMetastases = [Recurrent().LiverMetastases[0], Dx("Condition/recurrence", repeat.AddDays(diagnosisDaysAfter))],
            LesionMeasurements = [],
        };

        var result = Assess(facts);

        Assert.Contains(result.Review, r => r.Reference == "Procedure/repeat" && r.Reason.Contains("a recurrence may have been treated", StringComparison.Ordinal));
        Assert.NotEqual(RiskGroup.NoCrlm, result.RiskGroup); // a card shows it
    }

    [Fact]
    public void A_patient_with_only_the_first_hepatectomy_and_no_recurrence_has_nothing_to_review()
    {
        var facts = Recurrent() with { LiverMetastases = [Recurrent().LiverMetastases[0]], LesionMeasurements = [] };

        Assert.Empty(Assess(facts).Review);
    }

    // ---- 7.3 the recurrence and its date

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Liver_disease_recorded_as_a_recurrence_before_the_first_hepatectomy_and_after_earlier_liver_disease_is_listed_for_review(
        bool recordedAsRecurrence, bool listed)
    {
        var contradictory = Dx("Condition/early-recurrence", Hepatectomy.AddDays(-40)) with { RecordedAsRecurrence = recordedAsRecurrence };
        var facts = Recurrent() with { LiverMetastases = [.. Recurrent().LiverMetastases, contradictory] };

        var result = Assess(facts);

        Assert.Equal(listed, result.Review.Any(r => r.Reference == "Condition/early-recurrence" && r.Reason.Contains("hepatectomy may be missing", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_single_liver_metastasis_recorded_as_a_recurrence_of_the_colorectal_cancer_before_the_hepatectomy_is_not_listed()
    {
        var metachronous = Dx("Condition/synchronous", new(2022, 6, 1)) with { RecordedAsRecurrence = true };
        var facts = Recurrent() with { LiverMetastases = [metachronous, Recurrent().LiverMetastases[1]] };

        Assert.Empty(Assess(facts).Review);
    }


    [Theory]
    [InlineData(0, false)]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public void Liver_findings_within_30_days_of_the_resection_describe_the_resected_disease(int daysAfter, bool recurrence)
    {
        var facts = Recurrent() with { LiverMetastases = [Dx("Condition/pathology", Hepatectomy.AddDays(daysAfter))] };

        var result = Assess(facts);

        Assert.Equal(recurrence, !result.NotApplicableReasons.Any(r => r.Code == "no-recurrence-after-hepatectomy"));
    }

    [Theory]
    [InlineData(45, true)]
    [InlineData(90, true)] // "30 to 90 days": 90 included
    [InlineData(91, false)]
    public void A_lesion_first_seen_30_to_90_days_after_the_index_treatment_is_a_review_item(int daysAfter, bool review)
    {
        var result = Assess(Recurrent(recurrence: Hepatectomy.AddDays(daysAfter)));

        Assert.Equal(review, result.Review.Any(r => r.Reason.Contains("residual or missed disease", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_imaging_that_found_the_recurrence_up_to_90_days_before_the_diagnosis_dates_it()
    {
        var onset = Hepatectomy.AddMonths(9);
        var facts = Recurrent(recurrence: onset) with
        {
            LesionMeasurements = [new LesionMeasurement(20, "lesion", true, At("Observation/ct", onset.AddDays(-40)))],
        };

        var result = Assess(facts);

        Assert.Equal(onset.AddDays(-40), result.Recurrence!.Date);
        Assert.False(result.Factors.Single(f => f.Id == "early-recurrence").Present); // both dates after 6 months
    }

    [Fact]
    public void Imaging_and_diagnosis_on_either_side_of_six_months_leave_early_recurrence_unknown_with_a_review_item()
    {
        var onset = Hepatectomy.AddMonths(6).AddDays(10);
        var facts = Recurrent(recurrence: onset) with
        {
            LesionMeasurements = [new LesionMeasurement(20, "lesion", true, At("Observation/ct", onset.AddDays(-30)))],
        };

        var result = Assess(facts);

        Assert.Null(result.Factors.Single(f => f.Id == "early-recurrence").Present);
        Assert.Contains(result.Review, r => r.Reason.Contains("different sides of 6 months", StringComparison.Ordinal));
    }

    [Fact]
    public void A_recurrence_dated_only_by_its_recorded_date_is_a_review_item()
    {
        var facts = Recurrent();
        facts = facts with { LiverMetastases = [facts.LiverMetastases[0], facts.LiverMetastases[1] with { DatedByRecordedDate = true }] };

        Assert.Contains(Assess(facts).Review, r => r.Reason.Contains("dated only by when it was recorded", StringComparison.Ordinal));
    }

    // ---- 7.4 treated and later recurrences

    [Fact]
    public void Other_liver_directed_therapy_after_the_recurrence_ends_the_decision_with_a_review_item()
    {
        var result = Assess(Recurrent() with { OtherLiverDirectedTherapies = [At("Procedure/tace", LateRecurrence.AddDays(20), "TACE")] });

        Assert.Equal(RecommendationKind.AlreadyTreated, result.Recommendation.Kind);
        Assert.Contains(result.Review, r => r.Reference == "Procedure/tace");
        Assert.Equal(RiskGroup.Low, result.RiskGroup); // kept as prognostic context
    }

    [Fact]
    public void A_resection_between_the_index_treatment_and_this_recurrence_means_an_earlier_recurrence_was_treated()
    {
        var result = Assess(Recurrent() with { LiverAblations = [At("Procedure/rfa", Hepatectomy.AddMonths(5))] });

        Assert.Equal("later-recurrence", Assert.Single(result.NotApplicableReasons).Code);
    }

    [Fact]
    public void An_ablation_on_the_day_of_the_index_hepatectomy_is_part_of_the_index_treatment()
    {
        var result = Assess(Recurrent() with { LiverAblations = [At("Procedure/intraoperative-rfa", Hepatectomy)] });

        Assert.Empty(result.NotApplicableReasons);
    }

    // ---- 7.5 extrahepatic disease

    [Fact]
    public void Extrahepatic_disease_resolved_without_an_abatement_date_is_a_review_item_not_a_rule_out()
    {
        var result = Assess(Recurrent() with { ExtrahepaticMetastases = [Dx("Condition/lung", new(2022, 6, 1), state: ClinicalState.Resolved)] });

        Assert.Empty(result.NotApplicableReasons);
        Assert.Contains(result.Review, r => r.Reference == "Condition/lung" && r.Reason.Contains("cleared before the hepatectomy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DistantMetastasisCategory.BeyondLiver, 10, true, false)]   // M1b/M1c after the hepatectomy rules out
    [InlineData(DistantMetastasisCategory.Unplaced, 10, false, true)]      // M1/M1a after: review (M1a includes liver-only)
    [InlineData(DistantMetastasisCategory.Unplaced, -100, false, false)]   // M1a at diagnosis: the synchronous liver disease
    public void M_category_stagings_rule_out_or_ask_for_review(DistantMetastasisCategory category, int daysAfter, bool rulesOut, bool review)
    {
        var result = Assess(Recurrent() with { DistantMetastasisStagings = [new(category, At("Observation/m", Hepatectomy.AddDays(daysAfter)))] });

        Assert.Equal(rulesOut, result.NotApplicableReasons.Any(r => r.Code == "extrahepatic-disease"));
        Assert.Equal(review, result.Review.Any(r => r.Reference == "Observation/m"));
    }

    [Fact]
    public void Lymph_node_metastasis_up_to_the_primary_resection_is_regional_and_counts_as_node_positive_without_an_n_category()
    {
        var facts = Recurrent(nodePositive: null) with
        {
            PrimaryResections = [At("Procedure/colectomy", new(2022, 6, 20))],
            LymphNodeMetastases = [Dx("Condition/nodes", new(2022, 6, 20))],
        };

        var result = Assess(facts);

        Assert.Empty(result.NotApplicableReasons);
        Assert.True(result.Factors.Single(f => f.Id == "node-positive-primary").Present);
    }

    [Fact]
    public void Lymph_node_metastasis_after_the_hepatectomy_is_extrahepatic_disease()
    {
        var result = Assess(Recurrent() with { LymphNodeMetastases = [Dx("Condition/hilar-nodes", LateRecurrence)] });

        Assert.Contains(result.NotApplicableReasons, r => r.Code == "extrahepatic-disease");
    }

    [Fact]
    public void A_second_colorectal_primary_after_the_hepatectomy_is_a_local_recurrence_or_new_primary()
    {
        var facts = Recurrent();
        facts = facts with { ColorectalPrimaries = [.. facts.ColorectalPrimaries, Dx("Condition/anastomotic", LateRecurrence)] };

        Assert.Contains(Assess(facts).NotApplicableReasons, r => r.Code == "extrahepatic-disease");
    }

    // ---- 7.6 choosing values

    [Fact]
    public void The_size_at_recurrence_ignores_growth_measured_more_than_90_days_later_and_after_treatment()
    {
        var facts = Recurrent(largestMm: 25) with { LesionMeasurements =
        [
            new LesionMeasurement(25, "lesion", true, At("Observation/at-recurrence", LateRecurrence.AddDays(3))),
            new LesionMeasurement(48, "lesion", true, At("Observation/on-chemotherapy", LateRecurrence.AddDays(120))),
        ] };

        var size = Assess(facts).Factors.Single(f => f.Id == "largest-lesion-over-3cm");

        Assert.False(size.Present);
        Assert.Contains("25 mm", size.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_final_result_beats_a_preliminary_one_of_the_same_date_and_a_preliminary_alone_is_a_review_item()
    {
        var day = LateRecurrence.AddDays(3);
        var both = Recurrent() with { LesionMeasurements =
        [
            new LesionMeasurement(45, "lesion", true, At("Observation/preliminary", day)) { Preliminary = true },
            new LesionMeasurement(28, "lesion", true, At("Observation/final", day)),
        ] };
        var preliminaryOnly = Recurrent() with { LesionMeasurements = [both.LesionMeasurements[0]] };

        Assert.False(Assess(both).Factors.Single(f => f.Id == "largest-lesion-over-3cm").Present);
        Assert.Empty(Assess(both).Review);
        Assert.Contains(Assess(preliminaryOnly).Review, r => r.Reference == "Observation/preliminary");
    }

    [Fact]
    public void An_n_category_recorded_after_the_hepatectomy_is_not_the_primarys()
    {
        var facts = Recurrent(nodePositive: false) with
        {
            NodalStagings = [new NodalStaging(false, "pN0", true, At("Observation/pn0", new(2022, 7, 1))), new NodalStaging(true, "pN1", true, At("Observation/later-nodes", LateRecurrence))],
        };

        Assert.False(Assess(facts).Factors.Single(f => f.Id == "node-positive-primary").Present);
    }

    [Fact]
    public void A_ras_gene_with_only_a_variant_of_uncertain_significance_is_unknown_named_and_reviewed()
    {
        var facts = Recurrent() with
        {
            RasResults = [new RasResult(RasGene.Kras, RasCall.UncertainSignificance, At("Observation/kras-vus", new(2022, 7, 1), "KRAS variant of uncertain significance: c.176C>A")), new RasResult(RasGene.Nras, RasCall.NoMutation, At("Observation/nras", new(2022, 7, 1)))],
        };

        var result = Assess(facts);
        var ras = result.Factors.Single(f => f.Id == "ras-mutation");

        Assert.Null(ras.Present);
        Assert.Contains(ras.Notes, n => n.Contains("c.176C>A", StringComparison.Ordinal) && n.Contains("molecular pathology", StringComparison.Ordinal));
        Assert.Contains(result.Review, r => r.Reference == "Observation/kras-vus");
    }

    [Theory]
    [InlineData(29.5, true)]   // decides the group: 9.34 low, 14.06 high if over 30 mm
    [InlineData(31, true)]
    [InlineData(32, false)]
    public void A_largest_lesion_within_1_mm_of_30_mm_that_decides_the_group_is_a_review_item(double size, bool review)
    {
        var result = Assess(Recurrent(nodePositive: true, largestMm: (decimal)size, rasMutated: true));

        Assert.Equal(review, result.Review.Any(r => r.Reason.Contains("30 mm cut-off", StringComparison.Ordinal)));
    }
}
