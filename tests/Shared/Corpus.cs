using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace CrlmCdsHooks.TestData;

/// <summary>
/// The realistic-record corpus of tests/Corpus: one FHIR transaction Bundle per patient, each with the answer SPEC
/// section 7 requires, written by hand from the SPEC (see tests/Corpus/README.md), not from what the code does.
/// </summary>
public static class Corpus
{
    public static string Directory { get; } = Path.Combine(Examples.RepositoryRoot(), "tests", "Corpus");

    private static readonly Lazy<IReadOnlyList<CorpusRecord>> LazyRecords = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "corpus.json")))!.AsArray()
            .Select(r => new CorpusRecord((string)r!["file"]!, (string)r["rule"]!, (string)r["reason"]!, r["expect"]!.AsObject()))
            .ToList());

    public static IReadOnlyList<CorpusRecord> Records => LazyRecords.Value;

    /// <summary>Record files, as xunit theory data.</summary>
    public static TheoryData<string> Files => new(Records.Select(r => r.File));

    public static CorpusRecord Record(string file) => Records.Single(r => r.File == file);

    /// <summary>The assessment API's JSON conventions (camelCase, kebab-case enums), for the engine's own result.</summary>
    public static JsonSerializerOptions AssessmentJson { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Loads every corpus Bundle into a FHIR server (fixed ids, so loading twice changes nothing).</summary>
    public static async Task LoadIntoAsync(Uri fhirBase)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var record in Records)
        {
            using var content = new StringContent(record.BundleJson(), Encoding.UTF8, "application/fhir+json");
            using var response = await http.PostAsync(fhirBase, content);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Loading {record.File} into {fhirBase} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <param name="Expect">The expected answer: card, riskGroup, recommendation, notApplicable, review, factors.</param>
public sealed record CorpusRecord(string File, string Rule, string Reason, JsonObject Expect)
{
    public string BundleJson() => System.IO.File.ReadAllText(Path.Combine(Corpus.Directory, File));

    private IEnumerable<JsonObject> Resources() =>
        JsonNode.Parse(BundleJson())!["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject());

    public string PatientId => (string)Resources().Single(r => (string?)r["resourceType"] == "Patient")["id"]!;

    /// <summary>A patient-view request: with the prefetch an EHR would send (every Condition, Observation and Procedure), or none.</summary>
    public string HookJson(bool withPrefetch, Uri? fhirServer = null)
    {
        var hook = new JsonObject
        {
            ["hook"] = "patient-view",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["context"] = new JsonObject { ["userId"] = "Practitioner/corpus", ["patientId"] = PatientId },
        };
        if (withPrefetch)
        {
            var resources = Resources().ToList();
            hook["prefetch"] = new JsonObject
            {
                ["patient"] = resources.Single(r => (string?)r["resourceType"] == "Patient").DeepClone(),
                ["conditions"] = SearchSet(resources, "Condition"),
                ["observations"] = SearchSet(resources, "Observation"),
                ["procedures"] = SearchSet(resources, "Procedure"),
            };
        }
        if (fhirServer is not null)
        {
            hook["fhirServer"] = fhirServer.ToString().TrimEnd('/');
            hook["fhirAuthorization"] = JsonNode.Parse("""{"access_token":"corpus-token","token_type":"Bearer","expires_in":300,"scope":"patient/*.read","subject":"crlm-cds"}""");
        }
        return hook.ToJsonString();
    }

    private static JsonObject SearchSet(IEnumerable<JsonObject> resources, string type)
    {
        var matching = resources.Where(r => (string?)r["resourceType"] == type).ToList();
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["total"] = matching.Count,
            ["entry"] = new JsonArray([.. matching.Select(r => (JsonNode)new JsonObject { ["resource"] = r.DeepClone() })]),
        };
    }

    /// <summary>Asserts an assessment (as the API writes it: camelCase, kebab-case enums) gives the expected answer.</summary>
    public void AssertAssessment(JsonNode assessment)
    {
        var because = $"{File}: {Reason}";
        Assert.True((string?)Expect["riskGroup"] == (string?)assessment["riskGroup"], $"riskGroup {assessment["riskGroup"]} — {because}");
        if (Expect["recommendation"] is { } recommendation)
            Assert.True((string?)recommendation == (string?)assessment["recommendation"]!["kind"], $"recommendation {assessment["recommendation"]!["kind"]} — {because}");
        var reasons = assessment["notApplicableReasons"]!.AsArray().Select(r => (string)r!["code"]!).Order().ToList();
        var expectedReasons = Expect["notApplicable"]?.AsArray().Select(r => (string)r!).Order().ToList() ?? [];
        Assert.True(expectedReasons.SequenceEqual(reasons), $"notApplicable [{string.Join(", ", reasons)}] — {because}");
        var review = assessment["review"]!.AsArray();
        Assert.True((bool)Expect["review"]! == review.Count > 0,
            $"review [{string.Join(" | ", review.Select(r => $"{r!["description"]}: {r["reason"]}"))}] — {because}");
        foreach (var (factor, expected) in Expect["factors"]?.AsObject() ?? [])
        {
            var actual = assessment["factors"]!.AsArray().SingleOrDefault(f => (string?)f!["id"] == factor)?["present"];
            Assert.True((expected?.ToJsonString() ?? "null") == (actual?.ToJsonString() ?? "null"), $"factor {factor} = {actual?.ToJsonString() ?? "null"} — {because}");
        }
    }

    /// <summary>Asserts the hook's answer: a card exactly when expected, a warning exactly when the clinician must check something.</summary>
    public void AssertCards(JsonNode cardsResponse)
    {
        var cards = cardsResponse["cards"]!.AsArray();
        var because = $"{File}: {Reason}";
        if (!(bool)Expect["card"]!)
        {
            Assert.True(cards.Count == 0, $"expected no card — {because}");
            return;
        }
        var card = Assert.Single(cards)!;
        var mustCheck = (bool)Expect["review"]! || (string?)Expect["riskGroup"] == "indeterminate";
        Assert.True((mustCheck ? "warning" : "info") == (string?)card["indicator"], $"indicator {card["indicator"]} — {because}");
        Assert.True(((string)card["summary"]!).StartsWith("Check the data first", StringComparison.Ordinal) == (bool)Expect["review"]!,
            $"summary '{card["summary"]}' — {because}");
        Assert.DoesNotMatch(@"\b(Condition|Observation|Procedure|Patient)/[A-Za-z0-9\-.]+", (string)card["detail"]!);
    }

}
