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
    public void The_hook_prefetch_holds_exactly_the_bundle_resources_the_prefetch_queries_select(string name)
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

    // Conditions and Procedures are read whole; Observations are selected by code, whatever the system.
    private static bool IsSelectedByQueries(JsonNode resource)
    {
        if ((string)resource["resourceType"]! != "Observation")
            return true;
        var codes = new PrefetchQueries(Terminology.Default).ObservationCodes;
        return resource["code"]!["coding"]!.AsArray().Any(c => codes.Contains((string)c!["code"]!));
    }
}
