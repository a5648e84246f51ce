using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using Microsoft.AspNetCore.Hosting;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>The service with its per-client rate limit lifted: the randomised run sends hundreds of hooks at once.</summary>
public sealed class UnthrottledServiceHost : ServiceHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("CdsHooks:RateLimitBurst", "100000").UseSetting("CdsHooks:AssessmentRateLimitBurst", "100000");
    }
}

/// <summary>
/// Property-style: example hooks and Bundles with seeded random damage anywhere (request members, prefetch, resources)
/// through the running service. Every answer is a card list or a specific refusal with an OperationOutcome; none is a 500.
/// </summary>
public class RandomisedHookTests(UnthrottledServiceHost service) : IClassFixture<UnthrottledServiceHost>
{
    private static readonly string[] ExampleNames = Directory.GetFiles(Examples.Directory, "*.hook.json")
        .Select(f => Path.GetFileName(f)[..^".hook.json".Length]).Order().ToArray();

    private const int Trials = 80;

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 3));

    private static readonly HttpStatusCode[] Refusals =
        [HttpStatusCode.BadRequest, HttpStatusCode.PreconditionFailed, HttpStatusCode.RequestEntityTooLarge];

    private static void AssertAnswer(HttpStatusCode status, JsonNode? body, Func<string> what, string answerWhenOk)
    {
        Assert.True(status == HttpStatusCode.OK || Refusals.Contains(status), $"{what()}: answered {(int)status} {body?.ToJsonString()[..Math.Min(300, body.ToJsonString().Length)]}");
        if (status == HttpStatusCode.OK)
            Assert.True(body?[answerWhenOk] is not null, $"{what()}: 200 without '{answerWhenOk}'");
        else
            Assert.Equal("OperationOutcome", (string?)body?["resourceType"]);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Damaged_hooks_get_cards_or_a_specific_refusal_never_a_500(int seed) =>
        DamageAndSendAsync(seed, ServiceHost.HookPath, Examples.Hook, "application/json", answerWhenOk: "cards");

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task Damaged_bundles_get_an_assessment_or_a_specific_refusal_never_a_500(int seed) =>
        DamageAndSendAsync(seed, "/api/assessments", Examples.Bundle, "application/fhir+json", answerWhenOk: "riskGroup");

    /// <summary>Sends <see cref="Trials"/> damaged copies of random examples, four at a time, and checks every answer.</summary>
    private async Task DamageAndSendAsync(int seed, string path, Func<string, string> example, string contentType, string answerWhenOk)
    {
        var random = new HostileJson(seed);
        await Parallel.ForAsync(0, Trials, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (trial, _) =>
        {
            JsonNode body;
            string what;
            lock (random)
            {
                var name = random.Pick(ExampleNames);
                body = JsonNode.Parse(example(name))!;
                what = $"seed {seed}, trial {trial}: {name}";
                for (var hits = 1 + random.Next(3); hits > 0; hits--)
                    what += "; " + random.DamageAnywhere(body);
            }
            var (response, answer) = await service.PostAsync(path, body.ToJsonString(), contentType);
            AssertAnswer(response.StatusCode, answer, () => what, answerWhenOk);
        });
    }
}
