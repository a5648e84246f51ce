using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Scoring;
using static CrlmCdsHooks.Scoring.Tests.Facts;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>
/// SPEC 3: the model is a versioned definition a site with the published points table can load. The grouping rule
/// (high at a total of 13 or more) must hold for such a table too, where a total can fall exactly on the threshold.
/// </summary>
public class SiteModelDefinitionTests
{
    private static ModelDefinition SiteDefinition(Action<JsonObject> change)
    {
        using var shipped = typeof(ModelDefinition).Assembly.GetManifestResourceStream("CrlmCdsHooks.Scoring.Models.liu-2021.json")!;
        var json = JsonNode.Parse(shipped)!.AsObject();
        change(json);
        return ModelDefinition.FromJson(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));
    }

    private static ModelDefinition NodePointsAtThreshold() =>
        SiteDefinition(json => json["factors"]![0]!["points"] = json["highRiskThreshold"]!.GetValue<decimal>());

    [Fact]
    public void A_total_exactly_at_the_threshold_is_high_risk()
    {
        var result = new CrlmAssessor(NodePointsAtThreshold()).Assess(Recurrent(nodePositive: true));

        Assert.Equal(13m, result.Score);
        Assert.Equal(RiskGroup.High, result.RiskGroup);
    }

    [Fact]
    public void A_range_whose_highest_total_reaches_the_threshold_exactly_is_undetermined()
    {
        var result = new CrlmAssessor(NodePointsAtThreshold()).Assess(Recurrent(nodePositive: null));

        Assert.Equal(new ScoreRange(0m, 13m), result.ScoreRange);
        Assert.Equal(RiskGroup.Indeterminate, result.RiskGroup);
    }

    [Fact]
    public void A_definition_without_one_of_the_models_factors_is_refused_naming_the_factor()
    {
        var incomplete = SiteDefinition(json => json["factors"]!.AsArray().RemoveAt(3));

        var refusal = Assert.Throws<InvalidOperationException>(() => new CrlmAssessor(incomplete).Assess(Recurrent()));

        Assert.Contains("has no factor 'ras-mutation'", refusal.Message, StringComparison.Ordinal);
    }
}
