using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 5 with unknown items: a supporting score is a range from the items known present to those plus the unknown ones,
/// and its group is given only when every value in the range falls in one group (SPEC 7.7: never more certain than the
/// record).
/// </summary>
public class SupportingScoreRangeTests
{
    private static LesionCount Count(int n, DateOnly date) => new(n, At("Observation/count", date));

    [Fact]
    public void A_fong_score_that_could_be_2_or_3_is_indeterminate_not_low_or_high()
    {
        // Node-positive and an interval under 12 months: 2 known; no CEA since the hepatectomy: unknown.
        var fong = Assess(Recurrent(nodePositive: true, recurrence: EarlyRecurrence) with { LesionCounts = [Count(1, EarlyRecurrence)] })
            .SupportingScores!.Fong;

        Assert.Equal((2, 3), (fong.Score.Min, fong.Score.Max));
        Assert.Null(fong.Score.Exact);
        Assert.Equal("indeterminate", fong.Group);
    }

    [Fact]
    public void A_fong_score_of_3_or_more_whatever_the_unknown_item_is_high()
    {
        var fong = Assess(Recurrent(nodePositive: true, recurrence: EarlyRecurrence) with { LesionCounts = [Count(2, EarlyRecurrence)] })
            .SupportingScores!.Fong;

        Assert.Equal((3, 4), (fong.Score.Min, fong.Score.Max));
        Assert.Equal("high", fong.Group);
    }

    [Fact]
    public void A_fong_score_with_every_item_known_is_exact()
    {
        var fong = Assess(Recurrent(nodePositive: true, recurrence: EarlyRecurrence) with
        {
            LesionCounts = [Count(1, EarlyRecurrence)],
            CeaResults = [new CeaResult(3m, At("Observation/cea", EarlyRecurrence))],
        }).SupportingScores!.Fong;

        Assert.Equal(2, fong.Score.Exact);
        Assert.Equal("low", fong.Group);
    }

    [Fact]
    public void Kobayashi_with_no_size_and_no_count_on_record_is_undetermined_not_resectable()
    {
        var kobayashi = Assess(Recurrent(largestMm: null)).SupportingScores!.Kobayashi;

        Assert.Equal((0, 2), (kobayashi.Factors.Min, kobayashi.Factors.Max));
        Assert.Equal("undetermined", kobayashi.Reading);
    }

    [Fact]
    public void Kobayashi_with_one_factor_known_is_borderline_resectable_whatever_the_unknown_one_is()
    {
        // A 6 cm lesion is known; the count of lesions is not recorded and only one lesion is measured.
        var kobayashi = Assess(Recurrent(largestMm: 60m)).SupportingScores!.Kobayashi;

        Assert.True(kobayashi.Factors.Min >= 1);
        Assert.Equal("borderline-resectable", kobayashi.Reading);
    }
}
