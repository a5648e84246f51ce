using System.Diagnostics;
using System.Text.Json;
using CrlmCdsHooks.Api.CdsHooks;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;

// Times each stage of the hook below the web framework, on one thread, for each hook request file given:
//   dotnet Stages.dll ITERATIONS FILE...      prints one Markdown table row per file, in microseconds per hook
// The stages are the handler's own calls (as HookWarmUp makes them): parse the body, read the request and its
// prefetch, map, score, build the card, serialize the response. What the service spends beyond their sum is the
// framework's and the middleware's (docs/performance.md).
var iterations = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var mapper = new ClinicalFactsMapper(Terminology.Default);
var assessor = new CrlmAssessor(ModelDefinition.Liu2021);
var context = new CardContext("bench", "http://localhost/smart/launch", "http://localhost" + CardContext.IconPath, []);
string[] stages = ["parse", "read", "map", "score", "card", "serialize"];
Console.WriteLine($"| record | {string.Join(" | ", stages.Select(s => $"{s} µs"))} | sum µs |");
Console.WriteLine($"|---|{string.Concat(stages.Select(_ => "---|"))}---|");
foreach (var file in args.Skip(1))
{
    var body = File.ReadAllBytes(file);
    var totals = new long[stages.Length];
    // Warm-up, not counted: long enough for tiered compilation to reach its final tier in the background.
    var warmUp = Stopwatch.StartNew();
    for (var i = 0; warmUp.Elapsed < TimeSpan.FromSeconds(3) || i < iterations / 5; i++)
        Run(body);
    for (var i = 0; i < iterations; i++)
    {
        var t = Run(body);
        for (var s = 0; s < stages.Length; s++)
            totals[s] += t[s + 1] - t[s];
    }
    var micros = totals.Select(total => total * 1_000_000.0 / Stopwatch.Frequency / iterations).ToList();
    Console.WriteLine($"| {Path.GetFileName(file)} | {string.Join(" | ", micros.Select(m => m.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} | {micros.Sum():0} |");
}

// One hook through the stages; the timestamps between them.
long[] Run(byte[] body)
{
    var t = new long[stages.Length + 1];
    t[0] = Stopwatch.GetTimestamp();
    using var document = JsonDocument.Parse(body);
    t[1] = Stopwatch.GetTimestamp();
    var request = HookRequest.Read(document.RootElement).Request!;
    var prefetch = PrefetchReader.Read(request);
    t[2] = Stopwatch.GetTimestamp();
    var facts = mapper.Map(prefetch.Resources.OrderBy(r => r.Reference, StringComparer.Ordinal));
    t[3] = Stopwatch.GetTimestamp();
    var assessment = assessor.Assess(facts);
    t[4] = Stopwatch.GetTimestamp();
    var card = CardBuilder.For(assessment, assessor.Model.Wording, context);
    t[5] = Stopwatch.GetTimestamp();
    JsonSerializer.SerializeToUtf8Bytes(new CardsResponse([card]), CdsJson.Options);
    t[6] = Stopwatch.GetTimestamp();
    return t;
}
