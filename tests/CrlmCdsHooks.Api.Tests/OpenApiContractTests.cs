using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// The published OpenAPI document (/openapi/v1.json) is valid OpenAPI 3.1, describes every mapped route, and is true of
/// real responses: each status the hook can answer is provoked on a running service and its body checked against the
/// document's schema by an independent JSON Schema 2020-12 validator (tests/fhir-server/openapi-check.js).
/// </summary>
[Collection(nameof(ServiceHost))]
public class OpenApiContractTests(ServiceHost service, OpenApiContractTests.TightLimitsHost limits, BrokenServiceHost broken)
    : IClassFixture<OpenApiContractTests.TightLimitsHost>, IClassFixture<BrokenServiceHost>
{
    private const string Hook = "/cds-services/{id}";

    /// <summary>Limits small enough to reach: 413 for a body or a Bundle too large, 429 for a burst.</summary>
    public sealed class TightLimitsHost : ServiceHost
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("CdsHooks:MaxRequestBodyBytes", "100000").UseSetting("CdsHooks:MaxBundleEntries", "5")
                .UseSetting("CdsHooks:RateLimitPerSecond", "1").UseSetting("CdsHooks:RateLimitBurst", "3");
        }
    }

    private sealed record Exchange(string Method, string Path, int Status, string? ContentType, JsonNode? Body)
    {
        public JsonObject ToJson() => new()
        {
            ["method"] = Method, ["path"] = Path, ["status"] = Status, ["contentType"] = ContentType, ["body"] = Body?.DeepClone(),
        };
    }

    [Fact]
    public async Task The_document_is_valid_openapi_3_1_and_real_responses_of_every_hook_status_conform_to_it()
    {
        var exchanges = await ExchangesAsync();

        var (document, results) = await CheckAsync(exchanges);

        Assert.Empty(document);
        Assert.All(exchanges.Zip(results), pair => Assert.True(pair.Second.Count == 0,
            $"{pair.First.Method.ToUpperInvariant()} {pair.First.Path} {pair.First.Status}: {string.Join("; ", pair.Second)}"));
        // The issue's list: every error status of the hook was provoked and is documented.
        Assert.Equal([200, 400, 401, 403, 404, 412, 413, 415, 429, 500],
            exchanges.Where(e => e.Path == Hook).Select(e => e.Status).Distinct().Order());
        Assert.Equal([200, 400, 401, 403, 404, 412, 413, 415, 429, 500],
            (await service.GetJsonAsync("/openapi/v1.json"))["paths"]![Hook]!["post"]!["responses"]!.AsObject().Select(r => int.Parse(r.Key)).Order());
    }

    [Fact]
    public async Task The_check_rejects_responses_that_break_the_document()
    {
        var cardWithoutSummary = JsonNode.Parse("""{"cards":[{"indicator":"info","source":{"label":"x"}}]}""");
        var outcomeWithoutIssue = JsonNode.Parse("""{"resourceType":"OperationOutcome"}""");
        var suggestionsWithoutSelectionBehavior = JsonNode.Parse("""{"cards":[{"summary":"s","indicator":"info","source":{"label":"x"},"suggestions":[{"label":"l","uuid":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","actions":[{"type":"create","description":"d","resource":{"resourceType":"ServiceRequest"}}]}]}]}""");
        Exchange[] broken =
        [
            new("post", Hook, 200, "application/json", cardWithoutSummary),
            new("post", Hook, 200, "application/json", suggestionsWithoutSelectionBehavior),
            new("post", Hook, 400, "application/fhir+json", outcomeWithoutIssue),
            new("post", Hook, 418, "application/fhir+json", outcomeWithoutIssue),
            new("post", Hook, 400, "text/plain", null),
            new("get", "/cds-services/{id}", 200, "application/json", JsonNode.Parse("{}")),
        ];

        var (_, results) = await CheckAsync(broken);

        Assert.All(results, errors => Assert.NotEmpty(errors));
    }

    [Fact]
    public async Task Every_mapped_route_is_documented_and_every_documented_path_is_served()
    {
        var routes = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method.ToLowerInvariant()} /{e.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet();
        var documented = (await service.GetJsonAsync("/openapi/v1.json"))["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key} {path.Key}"))
            .ToHashSet();

        Assert.Empty(routes.Except(documented));
        // The one documented path that is not a route is a static file, served in the status test above.
        Assert.Equal(["get /icons/crlm-cds-hooks.png"], documented.Except(routes));
    }

    private async Task<List<Exchange>> ExchangesAsync()
    {
        var hook = ServiceHost.HookPath;
        var otherServer = Examples.HookJson("crlm-low-risk");
        otherServer["fhirServer"] = "https://ehr.example.org/fhir";
        var noPrefetch = Examples.HookJson("crlm-low-risk");
        noPrefetch.Remove("prefetch");
        var manyEntries = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray([.. Enumerable.Range(0, 6).Select(_ => (JsonNode)new JsonObject())]) };

        var exchanges = new List<Exchange>
        {
            await SendAsync(service, "get", "/cds-services", "/cds-services"),
            await SendAsync(service, "get", "/cds-services", "/cds-services", bearer: "not-a-jwt"),
            await SendAsync(service, "post", Hook, hook, Examples.Hook("crlm-high-risk")),
            await SendAsync(service, "post", Hook, hook, Examples.Hook("crlm-indeterminate-ras")),
            await SendAsync(service, "post", Hook, hook, Examples.Hook("no-crlm")),
            await SendAsync(service, "post", Hook, hook, "{}"),
            await SendAsync(service, "post", Hook, hook, Examples.Hook("crlm-low-risk"), bearer: "not-a-jwt"),
            await SendAsync(service, "post", Hook, hook, otherServer.ToJsonString()),
            await SendAsync(service, "post", Hook, "/cds-services/no-such-service", Examples.Hook("crlm-low-risk")),
            await SendAsync(service, "post", Hook, hook, noPrefetch.ToJsonString()),
            await SendAsync(service, "post", Hook, hook, "hook", contentType: "text/plain"),
            await SendAsync(broken, "post", Hook, hook, Examples.Hook("crlm-low-risk")),
            await SendAsync(service, "post", "/cds-services/{id}/feedback", hook + "/feedback",
                """{"feedback":[{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"accepted","outcomeTimestamp":"2026-11-23T10:00:00Z"}]}"""),
            await SendAsync(service, "post", "/cds-services/{id}/feedback", hook + "/feedback", "[]"),
            await SendAsync(service, "post", "/api/assessments", "/api/assessments", Examples.Bundle("crlm-low-risk"), contentType: "application/fhir+json"),
            await SendAsync(service, "post", "/api/assessments", "/api/assessments", """{"resourceType":"Patient"}""", contentType: "application/fhir+json"),
            await SendAsync(service, "post", "/api/assessments", "/api/assessments", "x", contentType: "text/plain"),
            await SendAsync(service, "post", "/api/assessments/mdt-context", "/api/assessments/mdt-context", AssessmentApiTests.BundleWithContext(), contentType: "application/fhir+json"),
            await SendAsync(service, "post", "/api/assessments/mdt-context", "/api/assessments/mdt-context", "[]", contentType: "application/fhir+json"),
            await SendAsync(service, "get", "/smart/config.json", "/smart/config.json"),
            await SendAsync(service, "get", "/smart/launch", "/smart/launch"),
            await SendAsync(service, "get", "/smart/app", "/smart/app"),
            await SendAsync(service, "get", "/icons/crlm-cds-hooks.png", "/icons/crlm-cds-hooks.png"),
            await SendAsync(service, "get", "/health/live", "/health/live"),
            await SendAsync(service, "get", "/health/ready", "/health/ready"),
            await SendAsync(service, "get", "/", "/"),
            await SendAsync(service, "get", "/openapi/v1.json", "/openapi/v1.json"),
            await SendAsync(limits, "post", Hook, hook, new string(' ', 100_001)),
            await SendAsync(limits, "post", "/api/assessments", "/api/assessments", manyEntries.ToJsonString()),
        };
        // The per-client bucket (burst 3, 1 per second) runs dry within a few calls, whatever the clock does.
        for (var attempt = 0; attempt < 20 && exchanges[^1].Status != 429; attempt++)
            exchanges.Add(await SendAsync(limits, "post", Hook, hook, Examples.Hook("crlm-low-risk")));
        return exchanges;
    }

    private static async Task<Exchange> SendAsync(ServiceHost host, string method, string template, string path, string? body = null,
        string contentType = "application/json", string? bearer = null)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), new Uri(path, UriKind.Relative));
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await client.SendAsync(request);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var text = await response.Content.ReadAsStringAsync();
        var isJson = mediaType is "application/json" or "application/fhir+json" && text.Length > 0;
        return new Exchange(method, template, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), isJson ? JsonNode.Parse(text) : null);
    }

    /// <summary>Checks the document the service serves, and the exchanges against it.</summary>
    private async Task<(IReadOnlyList<string> Document, IReadOnlyList<IReadOnlyList<string>> Exchanges)> CheckAsync(IEnumerable<Exchange> exchanges)
    {
        var file = Path.GetTempFileName();
        var document = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, new JsonArray([.. exchanges.Select(e => (JsonNode)e.ToJson())]).ToJsonString());
            await File.WriteAllTextAsync(document, (await service.GetJsonAsync("/openapi/v1.json")).ToJsonString());
            var (exitCode, output, errors) = await NodeFixtureProcess.RunAsync("openapi-check.js", document, file);
            Assert.True(exitCode is 0 or 1, $"openapi-check.js failed to run: {errors}");
            var result = JsonNode.Parse(output)!;
            return (Strings(result["document"]!), [.. result["exchanges"]!.AsArray().Select(r => Strings(r!))]);
        }
        finally
        {
            File.Delete(file);
            File.Delete(document);
        }
    }

    private static List<string> Strings(JsonNode array) => [.. array.AsArray().Select(s => (string)s!)];
}
