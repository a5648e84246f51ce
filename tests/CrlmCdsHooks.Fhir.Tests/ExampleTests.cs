using System.Text.Json;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>The shipped examples stay consistent: each hook's prefetch is what the queries return from its bundle.</summary>
public class ExampleTests
{
    public static TheoryData<string> Names => new(Directory.GetFiles(Examples.Directory, "*.bundle.json")
        .Select(f => Path.GetFileName(f)[..^".bundle.json".Length]).Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void The_hook_prefetch_holds_exactly_the_bundle_resources_the_code_filtered_queries_select(string name)
    {
        var bundle = JsonNode.Parse(Examples.Bundle(name))!;
        var hook = Examples.HookJson(name);
        var prefetched = hook["prefetch"]!.AsObject()
            .SelectMany(slot => slot.Key == "patient" ? [slot.Value!] : slot.Value!["entry"]?.AsArray().Select(e => e!["resource"]!) ?? [])
            .Select(r => r.ToJsonString())
            .Order();
        var mapper = new ClinicalFactsMapper(Terminology.Default);
        var selected = bundle["entry"]!.AsArray().Select(e => e!["resource"]!)
            .Where(r => (string)r["resourceType"]! == "Patient" || IsSelectedByQueries(r))
            .Select(r => r.ToJsonString())
            .Order();

        Assert.Equal(selected, prefetched);
        Assert.Equal(name, (string)hook["context"]!["patientId"]!);
        Assert.Equal("transaction", (string)bundle["type"]!);
    }

    // The prefetch queries filter on codes: a resource is returned when one of its codes is in the query.
    private static bool IsSelectedByQueries(JsonNode resource)
    {
        var queries = new PrefetchQueries(Terminology.Default).For("x");
        var query = queries[(string)resource["resourceType"]! switch
        {
            "Condition" => PrefetchQueries.ConditionsKey,
            "Observation" => PrefetchQueries.ObservationsKey,
            _ => PrefetchQueries.ProceduresKey,
        }];
        var codes = query[(query.IndexOf("&code=", StringComparison.Ordinal) + 6)..].Split(',');
        return resource["code"]!["coding"]!.AsArray().Any(c => codes.Contains($"{(string)c!["system"]!}|{(string)c["code"]!}"));
    }
}
