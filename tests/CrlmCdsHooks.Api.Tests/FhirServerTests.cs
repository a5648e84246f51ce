using CrlmCdsHooks.Fhir;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

[CollectionDefinition(nameof(FhirServerFixture))]
public sealed class FhirServerGroup : ICollectionFixture<FhirServerFixture>, ICollectionFixture<ServiceHost>;

/// <summary>
/// The hook against a real FHIR server holding the example patients: with, without and with partial prefetch,
/// and through a fault-injecting proxy. Set CRLM_FHIR_BASE_URL to run it against another server (e.g. HAPI's sandbox).
/// </summary>
[Collection(nameof(FhirServerFixture))]
public class FhirServerTests(FhirServerFixture fhir, ServiceHost service)
{
    public static TheoryData<string> Patients => new(Directory.GetFiles(Examples.Directory, "*.hook.json")
        .Select(f => Path.GetFileName(f)[..^".hook.json".Length]).Order());

    private static readonly string[] ResourceTypes = ["Condition", "Observation", "Procedure"];

    internal static string WithServer(string example, Uri fhirServer, params string[] keepPrefetch) =>
        WithServer(Examples.HookJson(example), fhirServer, keepPrefetch);

    /// <summary>The request with only the kept prefetch keys, naming the FHIR server and a token for it.</summary>
    internal static string WithServer(JsonObject hook, Uri fhirServer, params string[] keepPrefetch)
    {
        var prefetch = hook["prefetch"]!.AsObject();
        foreach (var key in prefetch.Select(p => p.Key).Except(keepPrefetch).ToList())
            prefetch.Remove(key);
        if (prefetch.Count == 0)
            hook.Remove("prefetch");
        hook["fhirServer"] = fhirServer.ToString().TrimEnd('/');
        hook["fhirAuthorization"] = JsonNode.Parse("""{"access_token":"test-token-not-for-logs","token_type":"Bearer","expires_in":300,"scope":"patient/*.read","subject":"crlm-cds"}""");
        return hook.ToJsonString();
    }

    private async Task<JsonNode> CardsAsync(string hookJson)
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hookJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body!["cards"]!;
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public async Task Without_prefetch_each_patient_gets_the_same_card_as_with_full_prefetch(string example)
    {
        var prefetched = await CardsAsync(Examples.Hook(example));

        var fetched = await CardsAsync(WithServer(example, fhir.BaseUrl));

        Assert.Equal(CdsHooksWire.Readable(prefetched), CdsHooksWire.Readable(fetched));
    }

    [Theory]
    [InlineData("crlm-high-risk", "patient", "conditions")]
    [InlineData("crlm-indeterminate-ras", "observations")]
    [InlineData("crlm-low-risk", "procedures", "observations")]
    public async Task With_partial_prefetch_only_the_missing_keys_are_read_and_the_card_is_the_same(string example, params string[] keep)
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);

        var fetched = await CardsAsync(WithServer(example, proxy.BaseUrl, keep));

        Assert.Equal(CdsHooksWire.Readable(await CardsAsync(Examples.Hook(example))), CdsHooksWire.Readable(fetched));
        var expectedQueries = ResourceTypes.Where(type => !keep.Contains(type.ToLowerInvariant() + "s")).ToList();
        Assert.Equal(expectedQueries, proxy.Requests.Distinct().Select(r => r.Split('?')[0].Split('/').Last()).Order());
    }

    [Fact]
    public async Task A_hook_without_prefetch_makes_one_request_per_resource_type_reading_conditions_and_procedures_whole()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);

        await CardsAsync(WithServer("crlm-high-risk", proxy.BaseUrl));

        // Three queries; a slow machine may retry one after the attempt timeout, never more than twice.
        Assert.Equal(3, proxy.Requests.Distinct().Count());
        Assert.InRange(proxy.Requests.Count, 3, 9);
        Assert.All(proxy.Requests, r => Assert.Contains(
            r.Contains("/Observation", StringComparison.Ordinal) ? "?patient=Patient/crlm-high-risk&code=" : "?patient=Patient/crlm-high-risk&_count=",
            Uri.UnescapeDataString(r), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_server_past_the_deadline_gets_an_incomplete_card_naming_what_was_not_read()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (request, _) =>
            request.Path.Value!.EndsWith("/Observation", StringComparison.Ordinal) ? FaultProxy.Delay(TimeSpan.FromSeconds(10)) : null);
        var clock = Stopwatch.StartNew();

        var card = Assert.Single((await CardsAsync(WithServer("crlm-high-risk", proxy.BaseUrl))).AsArray())!;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
        Assert.Contains("assessment incomplete: could not read observations", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("High risk", (string)card["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_failing_with_500_is_retried_a_bounded_number_of_times_then_answers_412()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => FaultProxy.Status(500));

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, WithServer("crlm-high-risk", proxy.BaseUrl));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("answered 500", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
        Assert.Equal(9, proxy.Requests.Count); // 3 queries, each tried once and retried twice
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_after_the_wait_and_the_card_is_complete()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, attempt) => attempt == 1 ? FaultProxy.Status(429, "1") : null);
        var clock = Stopwatch.StartNew();

        var fetched = await CardsAsync(WithServer("crlm-high-risk", proxy.BaseUrl));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"retried after {clock.Elapsed}, before Retry-After");
        Assert.Equal(CdsHooksWire.Readable(await CardsAsync(Examples.Hook("crlm-high-risk"))), CdsHooksWire.Readable(fetched));
        Assert.Equal(3, proxy.Requests.Distinct().Count());
        Assert.All(proxy.Requests.GroupBy(r => r), query => Assert.InRange(query.Count(), 2, 3));
    }

    public static TheoryData<string, string> PartialPrefetch => new()
    {
        { "a next link", "only the first page of the search results" },
        { "a total above the matches held", "of 99 search results" },
    };

    /// <summary>The example's conditions prefetch made to look like the first page of a longer search.</summary>
    private static JsonObject WithPartialConditions(string how, Uri? fhirServer)
    {
        var hook = JsonNode.Parse(fhirServer is null ? Examples.Hook("crlm-high-risk") : WithServer("crlm-high-risk", fhirServer, "patient", "conditions", "observations", "procedures"))!.AsObject();
        var conditions = hook["prefetch"]!["conditions"]!.AsObject();
        if (how == "a next link")
            conditions["link"] = JsonNode.Parse("""[{"relation":"next","url":"https://ehr.example.org/fhir/Condition?page=2"}]""");
        else
            conditions["total"] = 99;
        return hook;
    }

    [Theory]
    [MemberData(nameof(PartialPrefetch))]
    public async Task A_prefetch_holding_part_of_its_search_is_read_again_from_the_fhir_server_never_used_in_part(string how, string _)
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);

        var fetched = await CardsAsync(WithPartialConditions(how, proxy.BaseUrl).ToJsonString());

        Assert.Equal(CdsHooksWire.Readable(await CardsAsync(Examples.Hook("crlm-high-risk"))), CdsHooksWire.Readable(fetched));
        Assert.Equal(["Condition"], proxy.Requests.Select(r => r.Split('?')[0].Split('/').Last()).Distinct());
    }

    [Theory]
    [MemberData(nameof(PartialPrefetch))]
    public async Task A_prefetch_holding_part_of_its_search_without_a_fhir_server_is_refused_saying_so(string how, string reason)
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, WithPartialConditions(how, fhirServer: null).ToJsonString());

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var diagnostics = (string)body!["issue"]![0]!["diagnostics"]!;
        Assert.Contains("'conditions'", diagnostics, StringComparison.Ordinal);
        Assert.Contains(reason, diagnostics, StringComparison.Ordinal);
    }

    private static string WithAuthorization(string example, Uri fhirServer, Action<JsonObject> change)
    {
        var hook = JsonNode.Parse(WithServer(example, fhirServer))!.AsObject();
        change(hook["fhirAuthorization"]!.AsObject());
        return hook.ToJsonString();
    }

    [Theory]
    [InlineData("patient/Condition.read patient/Observation.read")]
    [InlineData("patient/Condition.rs patient/Observation.rs patient/Procedure.r")] // v2 needs s to search
    public async Task A_token_whose_scope_does_not_cover_procedures_is_not_tried_for_them_and_the_card_says_so(string scope)
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);

        var card = Assert.Single((await CardsAsync(WithAuthorization("crlm-high-risk", proxy.BaseUrl, a => a["scope"] = scope))).AsArray())!;

        Assert.Contains("could not read procedures", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Contains("does not allow reading Procedure resources", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(proxy.Requests, r => r.StartsWith("/Procedure", StringComparison.Ordinal));
        Assert.Contains(proxy.Requests, r => r.StartsWith("/Condition", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_token_is_not_used()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, WithAuthorization("crlm-high-risk", proxy.BaseUrl, a => a["expires_in"] = 0));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("had expired", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Theory]
    [InlineData("token_type", null, "'fhirAuthorization.token_type'")]
    [InlineData("expires_in", null, "'fhirAuthorization.expires_in'")]
    [InlineData("scope", null, "'fhirAuthorization.scope'")]
    [InlineData("subject", null, "'fhirAuthorization.subject'")]
    [InlineData("patient", "another-patient", "the token is for another patient")]
    public async Task A_fhir_authorization_missing_a_required_field_or_for_another_patient_is_400_before_any_fetch(string field, string? value, string named)
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, WithAuthorization("crlm-high-risk", proxy.BaseUrl, a =>
        {
            if (value is null)
                a.Remove(field);
            else
                a[field] = value;
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task An_access_token_over_16_kib_or_a_fhir_server_url_over_2048_characters_is_400_before_any_fetch()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);
        var longToken = WithAuthorization("crlm-high-risk", proxy.BaseUrl, a => a["access_token"] = new string('t', 16 * 1024 + 1));
        var longUrl = WithServer("crlm-high-risk", new Uri(proxy.BaseUrl, "fhir/" + new string('p', 2048)));

        var (tokenResponse, tokenBody) = await service.PostAsync(ServiceHost.HookPath, longToken);
        var (urlResponse, urlBody) = await service.PostAsync(ServiceHost.HookPath, longUrl);

        Assert.Equal(HttpStatusCode.BadRequest, tokenResponse.StatusCode);
        Assert.Contains("'access_token' of at most 16384 characters", (string)tokenBody!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, urlResponse.StatusCode);
        Assert.Contains("of at most 2048 characters", (string)urlBody!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task A_fhir_authorization_without_a_fhir_server_is_400()
    {
        var hook = JsonNode.Parse(WithServer("crlm-high-risk", fhir.BaseUrl))!.AsObject();
        hook.Remove("fhirServer");

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("without 'fhirServer'", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_answers_412_at_once()
    {
        Uri closed;
        await using (var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null))
            closed = proxy.BaseUrl;
        var clock = Stopwatch.StartNew();

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, WithServer("crlm-low-risk", closed));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("could not be reached", (string)body!["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task An_invalid_json_body_for_one_query_gives_an_incomplete_card_naming_it()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (request, _) =>
            request.Path.Value!.EndsWith("/Procedure", StringComparison.Ordinal) ? FaultProxy.Body("""{"resourceType":"Bundle","entry":[{"resource":""") : null);

        var card = Assert.Single((await CardsAsync(WithServer("crlm-low-risk", proxy.BaseUrl))).AsArray())!;

        Assert.Contains("could not read procedures", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Contains("could not be read", (string)card["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_search_result_is_cut_off_after_a_bounded_number_of_pages()
    {
        const string endless = """{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"NEXT"}]}""";
        FaultProxy? self = null;
        await using var proxy = self = await FaultProxy.StartAsync(fhir.BaseUrl, (request, _) =>
            request.Path.Value!.EndsWith("/Observation", StringComparison.Ordinal)
                ? FaultProxy.Body(endless.Replace("NEXT", $"{self!.BaseUrl}Observation?page={Guid.NewGuid()}", StringComparison.Ordinal))
                : null);

        var card = Assert.Single((await CardsAsync(WithServer("crlm-high-risk", proxy.BaseUrl))).AsArray())!;

        Assert.Contains("could not read observations", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Contains("runaway", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.Equal(new FhirDataOptions().MaxPages, proxy.Requests.Count(r => r.Contains("/Observation", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_next_page_on_another_server_is_not_followed_so_the_token_stays_with_the_server_the_ehr_named()
    {
        await using var elsewhere = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (request, _) =>
            request.Path.Value!.EndsWith("/Observation", StringComparison.Ordinal)
                ? FaultProxy.Body($$"""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"{{elsewhere.BaseUrl}}Observation?page=2"}]}""")
                : null);

        var card = Assert.Single((await CardsAsync(WithServer("crlm-high-risk", proxy.BaseUrl))).AsArray())!;

        Assert.Contains("could not read observations", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Contains("not on the same server", (string)card["detail"]!, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task An_unreadable_entry_in_a_fetched_page_is_skipped_with_a_warning_and_the_rest_of_the_page_is_used()
    {
        var observations = Examples.HookJson("crlm-high-risk")["prefetch"]!["observations"]!.AsObject();
        observations["entry"]!.AsArray().Add(JsonNode.Parse("""{"resource":{"resourceType":"NotAResource"}}"""));
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (request, _) =>
            request.Path.Value!.EndsWith("/Observation", StringComparison.Ordinal) ? FaultProxy.Body(observations.ToJsonString()) : null);

        var fetched = Assert.Single((await CardsAsync(WithServer("crlm-high-risk", proxy.BaseUrl))).AsArray())!;
        var prefetched = Assert.Single((await CardsAsync(Examples.Hook("crlm-high-risk"))).AsArray())!;

        Assert.Contains("'NotAResource' is not a FHIR R4 resource type", (string)fetched["detail"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("could not read", (string)fetched["summary"]!, StringComparison.Ordinal);
        Assert.EndsWith((string)prefetched["summary"]!, (string)fetched["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fhir_access_token_is_never_logged()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, attempt) => attempt == 1 ? FaultProxy.Status(500) : null);

        await CardsAsync(WithServer("crlm-low-risk", proxy.BaseUrl));

        Assert.Contains(service.Logs.Lines, l => l.Contains("read 3 queries from the FHIR server", StringComparison.Ordinal));
        Assert.DoesNotContain(service.Logs.Lines, l => l.Contains("test-token-not-for-logs", StringComparison.Ordinal));
    }
}
