using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 7.5: extrahepatic disease rules the model out when it is active at or after the index hepatectomy (2023-01-15);
/// what cannot be placed in time or status is a review item (SPEC 7.7), never a silent yes or no.
/// </summary>
public class ExtrahepaticTimingTests
{
    private static readonly DateOnly BeforeHepatectomy = new(2022, 9, 1);

    private static DistantMetastasisStaging M1b(DateOnly date) =>
        new(DistantMetastasisCategory.BeyondLiver, At("Observation/m1b", date, "M category cM1b"));

    private static Assessment AssessWith(ClinicalFacts facts) => Assess(facts);

    [Fact]
    public void M1b_staging_on_the_hepatectomy_day_rules_the_model_out()
    {
        var result = AssessWith(Recurrent() with { DistantMetastasisStagings = [M1b(Hepatectomy)] });

        Assert.Equal("extrahepatic-disease", Assert.Single(result.NotApplicableReasons).Code);
    }

    [Fact]
    public void M1b_staging_before_the_hepatectomy_with_no_disease_recorded_as_cleared_is_a_review_item()
    {
        var result = AssessWith(Recurrent() with { DistantMetastasisStagings = [M1b(BeforeHepatectomy)] });

        Assert.Empty(result.NotApplicableReasons);
        Assert.Equal("Observation/m1b", Assert.Single(result.Review).Reference);
    }

    [Fact]
    public void M1b_staging_before_the_hepatectomy_is_explained_by_extrahepatic_disease_cleared_before_it()
    {
        var result = AssessWith(Recurrent() with
        {
            DistantMetastasisStagings = [M1b(BeforeHepatectomy)],
            ExtrahepaticMetastases =
            [
                Dx("Condition/lung-cleared", BeforeHepatectomy, "Secondary malignant neoplasm of lung", ClinicalState.Resolved, abated: new(2022, 12, 1)),
                // A second one, resolved without a date, asks for its own check but does not undo the first's clearance.
                Dx("Condition/peritoneum", BeforeHepatectomy, "Secondary malignant neoplasm of peritoneum", ClinicalState.Resolved),
            ],
        });

        Assert.Empty(result.NotApplicableReasons);
        Assert.DoesNotContain(result.Review, r => r.Reference == "Observation/m1b");
        Assert.Contains(result.Review, r => r.Reference == "Condition/peritoneum");
    }

    [Fact]
    public void Disease_cleared_only_on_the_hepatectomy_day_does_not_explain_an_earlier_m1b_staging()
    {
        var result = AssessWith(Recurrent() with
        {
            DistantMetastasisStagings = [M1b(BeforeHepatectomy)],
            ExtrahepaticMetastases = [Dx("Condition/lung", BeforeHepatectomy, "Secondary malignant neoplasm of lung", ClinicalState.Resolved, abated: Hepatectomy)],
        });

        Assert.Contains(result.Review, r => r.Reference == "Observation/m1b");
    }

    [Fact]
    public void Extrahepatic_disease_before_the_hepatectomy_with_no_clinical_status_is_a_review_item_not_a_verdict()
    {
        var result = AssessWith(Recurrent() with
        {
            ExtrahepaticMetastases = [Dx("Condition/lung", BeforeHepatectomy, "Secondary malignant neoplasm of lung", ClinicalState.Unknown)],
        });

        Assert.Empty(result.NotApplicableReasons);
        Assert.Equal("Condition/lung", Assert.Single(result.Review).Reference);
    }

    [Fact]
    public void Extrahepatic_disease_after_the_hepatectomy_rules_the_model_out_whatever_its_status_and_asks_nothing()
    {
        var result = AssessWith(Recurrent() with
        {
            ExtrahepaticMetastases = [Dx("Condition/lung", new(2023, 6, 1), "Secondary malignant neoplasm of lung", ClinicalState.Unknown)],
        });

        Assert.Equal("extrahepatic-disease", Assert.Single(result.NotApplicableReasons).Code);
        Assert.DoesNotContain(result.Review, r => r.Reference == "Condition/lung");
    }

    [Fact]
    public void A_second_colorectal_primary_on_the_hepatectomy_day_rules_the_model_out_and_one_before_it_does_not()
    {
        Diagnosis Second(DateOnly date) => Dx("Condition/second-primary", date, "Malignant tumor of rectum");
        var onTheDay = AssessWith(Recurrent() with { ColorectalPrimaries = [Dx("Condition/primary", new(2022, 6, 1)), Second(Hepatectomy)] });
        var before = AssessWith(Recurrent() with { ColorectalPrimaries = [Dx("Condition/primary", new(2022, 6, 1)), Second(BeforeHepatectomy)] });

        Assert.Equal("extrahepatic-disease", Assert.Single(onTheDay.NotApplicableReasons).Code);
        Assert.Empty(before.NotApplicableReasons);
    }

    [Fact]
    public void Nodes_before_the_hepatectomy_with_no_resection_of_the_primary_on_record_are_a_review_item_unless_resolved()
    {
        Diagnosis Nodes(ClinicalState state, DateOnly? abated = null) =>
            Dx("Condition/nodes", BeforeHepatectomy, "Secondary malignant neoplasm of lymph nodes", state, abated);

        var active = AssessWith(Recurrent() with { LymphNodeMetastases = [Nodes(ClinicalState.Active)] });
        var cleared = AssessWith(Recurrent() with { LymphNodeMetastases = [Nodes(ClinicalState.Resolved, new(2022, 12, 1))] });

        Assert.Empty(active.NotApplicableReasons);
        Assert.Contains("regional nodes, or distant nodal disease", Assert.Single(active.Review).Reason, StringComparison.Ordinal);
        Assert.Empty(cleared.NotApplicableReasons);
        Assert.Empty(cleared.Review);
    }

    [Fact]
    public void Nodes_dated_up_to_the_last_resection_of_the_primary_are_its_regional_nodes()
    {
        // A colectomy, then a completion proctectomy: nodes recorded between the two are still the primary's.
        var result = AssessWith(Recurrent() with
        {
            PrimaryResections = [At("Procedure/colectomy", new(2022, 6, 10)), At("Procedure/proctectomy", new(2022, 8, 1))],
            LymphNodeMetastases = [Dx("Condition/nodes", new(2022, 7, 1), "Secondary malignant neoplasm of lymph nodes")],
        });

        Assert.Empty(result.NotApplicableReasons);
        Assert.Empty(result.Review);
    }

    [Fact]
    public void Nodes_of_a_simultaneous_resection_of_the_primary_and_the_liver_are_the_primarys_regional_nodes()
    {
        // SPEC 7.5: dated up to the resection of the primary, and not after the hepatectomy: regional, not extrahepatic.
        var result = AssessWith(Recurrent() with
        {
            PrimaryResections = [At("Procedure/colectomy", Hepatectomy)],
            LymphNodeMetastases = [Dx("Condition/nodes", Hepatectomy, "Secondary malignant neoplasm of lymph nodes")],
        });

        Assert.Empty(result.NotApplicableReasons);
        Assert.Empty(result.Review);
    }

    [Fact]
    public void Nodes_after_a_liver_first_hepatectomy_and_up_to_the_later_resection_of_the_primary_are_a_review_item()
    {
        // Liver first, then the primary: the two rules of SPEC 7.5 (regional up to the primary's resection, extrahepatic
        // after the hepatectomy) disagree. The nodes may be the primary's or distant: said, not decided.
        var result = AssessWith(Recurrent() with
        {
            PrimaryResections = [At("Procedure/colectomy", Hepatectomy.AddDays(60))],
            LymphNodeMetastases = [Dx("Condition/nodes", Hepatectomy.AddDays(60), "Secondary malignant neoplasm of lymph nodes")],
        });

        Assert.Empty(result.NotApplicableReasons);
        var review = Assert.Single(result.Review);
        Assert.Equal("Condition/nodes", review.Reference);
        Assert.Contains("liver-first", review.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_after_the_hepatectomy_and_after_the_primary_was_resected_are_extrahepatic_disease()
    {
        var result = AssessWith(Recurrent() with
        {
            PrimaryResections = [At("Procedure/colectomy", new(2022, 6, 10))],
            LymphNodeMetastases = [Dx("Condition/nodes", new(2023, 6, 1), "Secondary malignant neoplasm of lymph nodes")],
        });

        Assert.Equal("extrahepatic-disease", Assert.Single(result.NotApplicableReasons).Code);
    }
}
