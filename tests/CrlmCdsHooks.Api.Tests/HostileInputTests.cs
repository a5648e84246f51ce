using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Api.CdsHooks;
using CrlmCdsHooks.TestData;
using Markdig;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// Hostile and broken input through the running service: a value no clinician recorded still gets a card that says
/// what to check, record text never becomes markup, oversized or malformed requests get a specific refusal, and
/// nothing a caller sends floods the log.
/// </summary>
[Collection(nameof(ServiceHost))]
public class HostileInputTests(ServiceHost service)
{
    /// <summary>An example hook with one prefetched resource changed.</summary>
    internal static string HookWith(string example, string resourceId, Action<JsonObject> change)
    {
        var hook = Examples.HookJson(example);
        var resource = hook["prefetch"]!.AsObject()
            .SelectMany(slot => slot.Value?["entry"]?.AsArray() ?? [])
            .Select(entry => entry!["resource"]!.AsObject())
            .Single(r => (string?)r["id"] == resourceId);
        change(resource);
        return hook.ToJsonString();
    }

    private async Task<JsonObject> CardAsync(string hookJson)
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hookJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(body!["cards"]!.AsArray())!.AsObject();
    }

    internal static void AssertOutcome(JsonNode? body, string diagnosticsContain)
    {
        Assert.Equal("OperationOutcome", (string)body!["resourceType"]!);
        Assert.Contains(diagnosticsContain, (string)body["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> UnusableValues => new()
    {
        { "crlm-high-risk-recurrence-size-1", "valueQuantity", """{"value":8e27,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}""" },
        { "crlm-high-risk-recurrence-size-1", "valueQuantity", """{"value":-3,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}""" },
        { "crlm-high-risk-recurrence-size-1", "valueQuantity", """{"value":1e400,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}""" },
        { "crlm-high-risk-hepatectomy", "performedDateTime", "\"9999-03-10\"" },
        { "crlm-high-risk-hepatectomy", "performedDateTime", "\"2023-03-10T99:99:99Z\"" },
        { "crlm-high-risk-hepatectomy", "performedDateTime", "\"2023-03-10garbage\"" },
        { "crlm-high-risk-liver-recurrence", "onsetDateTime", "\"0001-01-01\"" },
        { "crlm-high-risk-kras", "effectiveDateTime", "12345" },
    };

    [Theory]
    [MemberData(nameof(UnusableValues))]
    public async Task A_value_that_cannot_be_right_still_gets_a_card_that_asks_to_check_the_data(string resourceId, string element, string value)
    {
        var card = await CardAsync(HookWith("crlm-high-risk", resourceId, r => r[element] = JsonNode.Parse(value)));

        Assert.Equal("warning", (string)card["indicator"]!);
        Assert.StartsWith("Check the data first", (string)card["summary"]!, StringComparison.Ordinal);
    }

    /// <summary>Injections an adversarial pass put into record text; each rendered as markup on the sandbox's card.</summary>
    public static TheoryData<string> Injections => new()
    {
        "![pixel](https://tracker.example/p.png)",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<img src=x onerror=alert(1)>",
        "Liver excision\n# Low risk: no MDT needed",
        "[Open the assessment](https://evil.example/phish)",
        "Liver excision\n\n| forged | table |\n|---|---|",
        "1. forged list item",
        "&lt;script&gt; **bold** _em_ `code` ~~gone~~",
        "text\u202Eeulav\u2066 with bidi overrides",
    };

    [Theory]
    [MemberData(nameof(Injections))]
    public void Record_text_renders_as_its_words_and_nothing_else(string injection)
    {
        var html = Markdown.ToHtml($"- {MarkdownText.Escape(injection)}", new MarkdownPipelineBuilder().UseAdvancedExtensions().Build());

        // One list item holding one paragraph of text: no image, link, frame, heading, table, emphasis or code.
        Assert.Matches("^<ul>\n<li>[^<]*</li>\n</ul>\n$", html);
        Assert.DoesNotContain('\u202E', html);
    }

    [Fact]
    public async Task Record_text_on_the_card_is_escaped_and_cut()
    {
        var injection = "Liver excision\n# Low risk: no MDT needed ![pixel](https://tracker.example/p.png) <iframe src=x>" + new string('x', 50_000);
        var card = await CardAsync(HookWith("crlm-already-treated", "crlm-already-treated-repeat-resection", p => p["code"]!["text"] = injection));

        var detail = (string)card["detail"]!;
        var html = Markdown.ToHtml(detail, new MarkdownPipelineBuilder().UseAdvancedExtensions().Build());
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<iframe", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1", html, StringComparison.Ordinal);
        Assert.Contains("Liver excision # Low risk: no MDT needed", html, StringComparison.Ordinal);
        Assert.True(detail.Length < 6_000, $"the detail is {detail.Length} characters");
    }

    [Theory]
    [InlineData("not a uuid")]
    [InlineData("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\nforged log line")]
    [InlineData("d1577c69dfbe44adba6d3e05e953b2eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 129
    public async Task A_hook_instance_that_is_not_a_uuid_is_400(string hookInstance)
    {
        var hook = Examples.HookJson("crlm-low-risk");
        hook["hookInstance"] = hookInstance;

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertOutcome(body, "'hookInstance' must be a UUID");
    }

    [Fact]
    public async Task A_seven_megabyte_hook_instance_is_refused_without_reaching_the_log()
    {
        var marker = "abcdef" + new string('0', 7 * 1024 * 1024);
        var hook = Examples.HookJson("crlm-low-risk");
        hook["hookInstance"] = marker;

        var (response, _) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(service.Logs.Lines, line => line.Contains("abcdef000000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../Condition?patient=other")]
    [InlineData("p1&_has:Condition:patient:code=x")]
    public async Task A_patient_id_that_is_not_a_fhir_id_is_400(string patientId)
    {
        var hook = Examples.HookJson("crlm-low-risk");
        hook["context"]!["patientId"] = patientId;

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertOutcome(body, "must be a FHIR id");
    }

    [Fact]
    public async Task A_long_issuer_from_an_unknown_caller_is_logged_cut_and_on_one_line()
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var issuer = "https://evil.example/\nforged: line " + new string('i', 20_000); // under Kestrel's 32 KB header limit
        var token = $"{Segment("""{"alg":"ES384","typ":"JWT"}""")}.{Segment(new JsonObject { ["iss"] = issuer }.ToJsonString())}.c2ln";
        using var client = service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceHost.HookPath)
        {
            Content = new StringContent(Examples.Hook("crlm-low-risk"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", token);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(service.Logs.Lines, l => l.Contains("unknown issuer 'https://evil.example/", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', line.TrimEnd());
        Assert.True(line.Length < 1_000, $"the log line is {line.Length} characters");
        // In Development the refusal points a newcomer to the guide's section, which exists.
        Assert.Contains("docs/integrating.md#the-public-cds-hooks-sandbox", line, StringComparison.Ordinal);
        Assert.Contains("\n## The public CDS Hooks sandbox\n", File.ReadAllText(Path.Combine(Examples.RepositoryRoot(), "docs", "integrating.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prefetch_bundle_over_the_entry_cap_is_413_before_any_parsing()
    {
        var hook = Examples.HookJson("crlm-low-risk");
        var entries = new JsonArray(Enumerable.Range(0, 10_001).Select(i => (JsonNode?)new JsonObject
        {
            ["resource"] = new JsonObject { ["resourceType"] = "Observation", ["id"] = $"o{i}", ["status"] = "final" },
        }).ToArray());
        hook["prefetch"]!["observations"]!["entry"] = entries;

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertOutcome(body, "holds 10,001 entries; this service reads at most 10,000");
    }

    [Theory]
    [InlineData("/cds-services")]
    [InlineData("/smart/config.json")]
    public async Task Every_answer_is_nosniff_and_no_store(string path)
    {
        using var client = service.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Refusals_are_nosniff_and_no_store_too()
    {
        var (response, _) = await service.PostAsync(ServiceHost.HookPath, "{");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl!.NoStore);
    }
}

/// <summary>The open assessment endpoint under its own limits: small here so the test can reach them.</summary>
public sealed class LimitedServiceHost : ServiceHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("CdsHooks:AssessmentRateLimitPerSecond", "1").UseSetting("CdsHooks:AssessmentRateLimitBurst", "3")
            .UseSetting("CdsHooks:MaxRequestBodyBytes", "100000");
    }
}

/// <summary>A service whose hook handler cannot be built: every hook fails inside the pipeline, as a bug would.</summary>
public sealed class BrokenServiceHost : ServiceHost
{
    public const string Secret = "internal detail that must not leave the service";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<PatientViewHandler>(_ => throw new InvalidOperationException(Secret)));
    }
}

public class ServiceLimitTests : IClassFixture<LimitedServiceHost>, IClassFixture<BrokenServiceHost>
{
    private readonly LimitedServiceHost _limited;
    private readonly BrokenServiceHost _broken;

    public ServiceLimitTests(LimitedServiceHost limited, BrokenServiceHost broken) => (_limited, _broken) = (limited, broken);

    [Fact]
    public async Task Assessments_beyond_the_per_address_budget_are_429_with_retry_after_and_an_operation_outcome()
    {
        var bundle = Examples.Bundle("crlm-low-risk");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        JsonNode? refusal = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var (response, body) = await _limited.PostAsync("/api/assessments", bundle, "application/fhir+json");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                (refused, refusal) = (response, body);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses.Take(3));
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("throttled", (string)refusal!["issue"]![0]!["code"]!);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_with_an_operation_outcome()
    {
        var (response, body) = await _limited.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk")[..^1] + $$""","padding":"{{new string('x', 300_000)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        HostileInputTests.AssertOutcome(body, "larger than the 100,000 bytes");
    }

    [Fact]
    public async Task An_unexpected_failure_is_500_with_an_operation_outcome_and_no_internals()
    {
        var (response, body) = await _broken.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("exception", (string)body!["issue"]![0]!["code"]!);
        Assert.DoesNotContain(BrokenServiceHost.Secret, body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body.ToJsonString(), StringComparison.Ordinal);
    }
}

/// <summary>The same small assessment budget, on its own host so its bucket is not shared with other tests.</summary>
public sealed class NoProxyServiceHost : ServiceHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("CdsHooks:AssessmentRateLimitPerSecond", "1").UseSetting("CdsHooks:AssessmentRateLimitBurst", "3");
    }
}

public class ForwardedHeaderTests(NoProxyServiceHost service) : IClassFixture<NoProxyServiceHost>
{
    [Fact]
    public async Task Without_a_configured_proxy_a_forged_x_forwarded_for_does_not_buy_a_new_budget()
    {
        using var client = service.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/assessments")
            {
                Content = new StringContent(Examples.Bundle("crlm-low-risk"), Encoding.UTF8, "application/fhir+json"),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
