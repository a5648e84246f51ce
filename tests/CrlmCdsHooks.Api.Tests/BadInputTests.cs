using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>Every bad request gets a specific status and an OperationOutcome saying why.</summary>
[Collection(nameof(ServiceHost))]
public class BadInputTests(ServiceHost service)
{
    private static void AssertOutcome(JsonNode? body, string diagnosticsContain)
    {
        Assert.Equal("OperationOutcome", (string)body!["resourceType"]!);
        Assert.Equal("error", (string)body["issue"]![0]!["severity"]!);
        Assert.Contains(diagnosticsContain, (string)body["issue"]![0]!["diagnostics"]!, StringComparison.Ordinal);
    }

    private static string Without(string example, Action<JsonObject> change)
    {
        var hook = Examples.HookJson(example);
        change(hook);
        return hook.ToJsonString();
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, """{"hook": "patient-view", """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        AssertOutcome(body, "not valid JSON");
    }

    [Theory]
    [InlineData("hook", "'hook'")]
    [InlineData("hookInstance", "'hookInstance'")]
    [InlineData("context", "'context'")]
    public async Task A_request_missing_a_required_member_is_400(string member, string named)
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h.Remove(member)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertOutcome(body, named);
    }

    [Fact]
    public async Task A_request_missing_the_patient_id_is_400()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h["context"]!.AsObject().Remove("patientId")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertOutcome(body, "context.patientId");
    }

    [Fact]
    public async Task An_unknown_service_is_404()
    {
        var (response, body) = await service.PostAsync("/cds-services/no-such-service", Examples.Hook("crlm-low-risk"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertOutcome(body, "no-such-service");
    }

    [Fact]
    public async Task Missing_prefetch_without_a_fhir_server_is_412()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h.Remove("prefetch")));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        AssertOutcome(body, "'conditions', 'observations', 'procedures'");
    }

    [Fact]
    public async Task A_null_conditions_prefetch_means_no_conditions_on_record_and_no_card()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h["prefetch"]!["conditions"] = null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(body!["cards"]!.AsArray());
    }

    [Fact]
    public async Task A_null_prefetch_key_means_no_such_data_and_is_never_fetched_from_the_fhir_server()
    {
        // Nothing listens there: a fetch would fail and give an incomplete card.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var hook = Without("crlm-high-risk", h =>
        {
            h["prefetch"]!["observations"] = null;
            h["fhirServer"] = $"http://127.0.0.1:{closedPort}/fhir";
        });

        var (response, body) = await service.PostAsync(ServiceHost.HookPath, hook);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = (string)body!["cards"]![0]!["summary"]!;
        Assert.DoesNotContain("incomplete", summary, StringComparison.Ordinal);
        Assert.Contains("undetermined", summary, StringComparison.Ordinal); // no observations: RAS, N and size unknown
    }

    [Fact]
    public async Task An_operation_outcome_in_a_prefetch_slot_means_not_available()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h["prefetch"]!["procedures"] =
            JsonNode.Parse("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}""")));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        AssertOutcome(body, "'procedures'");
    }

    [Fact]
    public async Task A_prefetch_slot_that_is_not_a_fhir_resource_is_not_available()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h["prefetch"]!["conditions"] =
            JsonNode.Parse("""{"resourceType":"NoSuchResource","x":1}""")));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        AssertOutcome(body, "'conditions'");
    }

    [Fact]
    public async Task A_wrong_content_type_is_415()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        AssertOutcome(body, "Content-Type");
    }

    [Fact]
    public async Task A_patient_id_that_disagrees_with_the_prefetched_data_is_400()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h["context"]!["patientId"] = "someone-else"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertOutcome(body, "another patient");
    }

    [Fact]
    public async Task Another_hook_is_400()
    {
        var (response, body) = await service.PostAsync(ServiceHost.HookPath, Without("crlm-low-risk", h => h["hook"] = "order-select"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertOutcome(body, "order-select");
    }
}
