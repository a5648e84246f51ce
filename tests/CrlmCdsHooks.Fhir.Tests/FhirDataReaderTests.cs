using System.Net;
using System.Net.Sockets;
using System.Text;
using CrlmCdsHooks.Fhir;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>
/// The reader of an EHR's FHIR server, through its real resilient HttpClient (as registered by
/// <see cref="FhirDataAccess.AddFhirDataAccess"/>) against a real HTTP server on loopback that answers as scripted: pages
/// on the same server only, the token and media type sent, retries of transient failures, no redirect followed, and a
/// reason in words for every failure. (The API tests read a real FHIR server; this pins the reader's own rules.)
/// </summary>
public sealed class FhirDataReaderTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Path, string? Authorization, string? Accept)> _requests = [];
    private Func<HttpListenerRequest, int, (int Status, string Body, string? Location)> _answer = (_, _) => (404, "", null);
    private readonly string _base;

    public FhirDataReaderTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _base = $"http://127.0.0.1:{port}/fhir";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            int count;
            lock (_requests)
            {
                _requests.Add((context.Request.Url!.PathAndQuery, context.Request.Headers["Authorization"], context.Request.Headers["Accept"]));
                count = _requests.Count;
            }
            var (status, body, location) = _answer(context.Request, count);
            context.Response.StatusCode = status;
            if (location is not null)
                context.Response.RedirectLocation = location;
            context.Response.ContentType = "application/fhir+json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static FhirDataReader Reader(int maxPages = 25)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FhirData:MaxPages"] = maxPages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FhirData:HookDeadline"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(new PrefetchQueries(Terminology.Default));
        services.AddFhirDataAccess(configuration);
        return services.BuildServiceProvider().GetRequiredService<FhirDataReader>();
    }

    private async Task<FetchResult> ReadConditionsAsync(FhirDataReader? reader = null, string? token = "secret", CancellationToken cancellation = default) =>
        Assert.Single(await (reader ?? Reader()).ReadAsync(new Uri(_base), token, "p1", [PrefetchQueries.ConditionsKey], cancellation));

    private static string Page(string? next, params string[] ids)
    {
        var links = next is null ? "" : "\"link\":[{\"relation\":\"next\",\"url\":\"" + next + "\"}],";
        var entries = string.Join(",", ids.Select(id => "{\"resource\":{\"resourceType\":\"Condition\",\"id\":\"" + id + "\",\"subject\":{\"reference\":\"Patient/p1\"}}}"));
        return "{\"resourceType\":\"Bundle\",\"type\":\"searchset\"," + links + "\"entry\":[" + entries + "]}";
    }

    [Fact]
    public async Task Pages_on_the_same_server_are_read_whole_with_the_token_and_the_fhir_media_type()
    {
        _answer = (request, _) => request.Url!.Query.Contains("page=2", StringComparison.Ordinal)
            ? (200, Page(null, "c3"), null)
            : (200, Page($"{_base}/Condition?patient=Patient/p1&page=2", "c1", "c2"), null);

        var result = await ReadConditionsAsync();

        Assert.Null(result.Failure);
        Assert.Equal(["Condition/c1", "Condition/c2", "Condition/c3"], result.Resources.Select(r => r.Reference));
        Assert.Equal(2, result.Requests);
        Assert.All(_requests, r => Assert.Equal("Bearer secret", r.Authorization));
        Assert.All(_requests, r => Assert.Contains("application/fhir+json", r.Accept, StringComparison.Ordinal));
        Assert.StartsWith("/fhir/Condition?patient=Patient/p1&_count=100", _requests[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_no_authorization_is_sent_and_operation_outcomes_in_a_page_are_not_resources()
    {
        _answer = (_, _) => (200, """{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Condition","id":"c1"}},{"resource":{"resourceType":"OperationOutcome","id":"warning"}},{"resource":null}]}""", null);

        var result = await ReadConditionsAsync(token: null);

        Assert.Equal(["Condition/c1"], result.Resources.Select(r => r.Reference));
        Assert.Single(result.Skipped);
        Assert.Null(Assert.Single(_requests).Authorization);
    }

    [Fact]
    public async Task A_next_page_on_another_server_is_not_followed()
    {
        _answer = (_, _) => (200, Page("https://elsewhere.example.org/fhir/Condition?page=2", "c1"), null);

        var result = await ReadConditionsAsync();

        Assert.Empty(result.Resources);
        Assert.Equal("the server's next page is not on the same server, so it was not followed", result.Failure);
        Assert.Single(_requests);
    }

    [Fact]
    public async Task A_search_longer_than_the_page_limit_is_refused_as_runaway()
    {
        _answer = (_, n) => (200, Page($"{_base}/Condition?page={n + 1}", $"c{n}"), null);

        var result = await ReadConditionsAsync(Reader(maxPages: 2));

        Assert.Empty(result.Resources);
        Assert.StartsWith("more than 2 pages of 100 results", result.Failure, StringComparison.Ordinal);
        Assert.Equal(2, result.Requests);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_a_refusal_is_reported_with_its_status()
    {
        _answer = (_, n) => n == 1 ? (503, "", null) : (200, Page(null, "c1"), null);
        var retried = await ReadConditionsAsync();

        Assert.Null(retried.Failure);
        Assert.Equal(1, retried.Requests); // retries are the client's, not pages

        _answer = (_, _) => (403, """{"resourceType":"OperationOutcome"}""", null);
        var refused = await ReadConditionsAsync();
        Assert.Equal("the server answered 403 Forbidden", refused.Failure);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_with_the_token()
    {
        _answer = (_, _) => (302, "", "https://elsewhere.example.org/fhir/Condition");

        var result = await ReadConditionsAsync();

        Assert.Equal("the server answered 302 Found", result.Failure);
        Assert.Single(_requests);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_fhir_resource_is_said_to_be_unreadable()
    {
        _answer = (_, _) => (200, """{"resourceType":"NotAType"}""", null);

        var result = await ReadConditionsAsync();

        Assert.Equal("the answer could not be read ('NotAType' is not a FHIR R4 resource type)", result.Failure);
    }

    [Fact]
    public async Task A_bundle_whose_entries_are_not_a_list_is_unreadable_not_empty()
    {
        _answer = (_, _) => (200, """{"resourceType":"Bundle","type":"searchset","entry":{"resource":{"resourceType":"Condition","id":"c1"}}}""", null);

        var result = await ReadConditionsAsync();

        Assert.StartsWith("the answer could not be read (", result.Failure, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public async Task A_read_of_one_resource_is_that_resource()
    {
        _answer = (_, _) => (200, """{"resourceType":"Patient","id":"p1"}""", null);

        var result = Assert.Single(await Reader().ReadAsync(new Uri(_base), "secret", "p1", [PrefetchQueries.PatientKey], CancellationToken.None));

        Assert.Equal("Patient/p1", Assert.Single(result.Resources).Reference);
        Assert.Null(result.Failure);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_or_a_deadline_that_passed_is_said_so()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var unreachable = Assert.Single(await Reader().ReadAsync(new Uri($"http://127.0.0.1:{port}/fhir"), null, "p1", [PrefetchQueries.ConditionsKey], CancellationToken.None));
        Assert.StartsWith("the server could not be reached", unreachable.Failure, StringComparison.Ordinal);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var late = await ReadConditionsAsync(cancellation: cancelled.Token);
        Assert.Equal("no answer within the hook's deadline", late.Failure);
    }
}
