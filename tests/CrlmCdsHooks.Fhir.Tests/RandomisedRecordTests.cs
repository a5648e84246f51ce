using System.Text.Json;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Scoring;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// Property-style: the example patients with seeded random damage, read as the service reads them. Whatever the
/// damage, mapping and scoring never throw; an unusable date or number in a record the assessment relies on is always
/// reported (a review item, a data warning, or the parse problem), never silently dropped or believed.
/// </summary>
public class RandomisedRecordTests
{
    private static readonly string[] ExampleNames = Directory.GetFiles(Examples.Directory, "*.bundle.json")
        .Select(f => Path.GetFileName(f)[..^".bundle.json".Length]).Order().ToArray();

    private const int Trials = 300;

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 4));

    /// <summary>The example's resources after <paramref name="damage"/>, assessed as the API does, with the parse problems.</summary>
    private static (Assessment Assessment, IReadOnlyList<string> Problems) Assess(string example, Action<List<JsonObject>> damage)
    {
        var resources = JsonNode.Parse(Examples.Bundle(example))!["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).ToList();
        damage(resources);
        var sourced = new List<SourcedResource>();
        var problems = new List<string>();
        foreach (var json in resources)
        {
            if (ResourceJson.TryRead(json.ToJsonString(), out var problem) is { } resource)
                sourced.Add(resource);
            else
                problems.Add(problem!);
        }
        return (HostileValueTests.Assessor(HostileValueTests.Today).Assess(sourced, problems), problems);
    }

    private static bool IsReported(Assessment assessment, IReadOnlyList<string> problems, string resourceId) =>
        problems.Count > 0
        || assessment.Review.Any(r => r.Reference.EndsWith($"/{resourceId}", StringComparison.Ordinal))
        || assessment.DataWarnings.Any(w => w.Contains($"/{resourceId}:", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_unusable_date_or_number_in_a_record_the_assessment_uses_is_always_reported(int seed)
    {
        var random = new HostileJson(seed);
        var checkedTrials = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var example = random.Pick(ExampleNames);
            var baseline = Assess(example, _ => { }).Assessment;
            string? target = null, what = null;
            var (assessment, problems) = Assess(example, resources =>
            {
                var resource = random.Pick(resources);
                target = (string?)resource["id"];
                var dates = HostileJson.DateElements.Where(resource.ContainsKey).ToList();
                var quantity = resource["valueQuantity"] as JsonObject;
                if (dates.Count > 0 && (quantity is null || random.Next(2) == 0))
                {
                    var element = random.Pick(dates);
                    var value = random.Pick(HostileJson.UnusableDates);
                    resource[element] = JsonNode.Parse(value);
                    what = $"{element} = {value[..Math.Min(30, value.Length)]}";
                }
                else if (quantity is not null)
                {
                    var value = random.Pick(HostileJson.UnusableNumbers);
                    quantity["value"] = JsonNode.Parse(value);
                    what = $"valueQuantity.value = {value}";
                }
            });
            if (what is null || !HostileValueTests.IsUsed(baseline, target!))
                continue;
            checkedTrials++;
            Assert.True(IsReported(assessment, problems, target!), $"seed {seed}, trial {trial}: {example} {target} {what} was not reported");
            Assert.False(HostileValueTests.IsUsed(assessment, target!) && what.StartsWith("valueQuantity", StringComparison.Ordinal),
                $"seed {seed}, trial {trial}: {example} {target} {what} was used");
        }
        Assert.True(checkedTrials > Trials / 5, $"only {checkedTrials} trials hit a record the assessment uses");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Damage_anywhere_in_a_record_never_stops_the_assessment(int seed)
    {
        var random = new HostileJson(seed);
        for (var trial = 0; trial < Trials; trial++)
        {
            var example = random.Pick(ExampleNames);
            string? what = null;
            var exception = Record.Exception(() => Assess(example, resources =>
            {
                for (var hits = 1 + random.Next(3); hits > 0; hits--)
                    what += random.DamageAnywhere(random.Pick(resources)) + "; ";
            }));
            Assert.True(exception is null, $"seed {seed}, trial {trial}: {example} after {what}: {exception}");
        }
    }
}
