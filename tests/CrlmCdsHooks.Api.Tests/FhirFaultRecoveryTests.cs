using System.Net;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using Microsoft.AspNetCore.Hosting;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// The service with a hook deadline well past one attempt timeout plus a retry, so recovery is tested on a loaded
/// machine without racing the deadline; its circuit breakers are its own.
/// </summary>
public sealed class RecoveryServiceHost : ServiceHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FhirData:HookDeadline", "00:00:06");
    }
}

/// <summary>FHIR server faults the service recovers from: a body that never ends, and a circuit that opened.</summary>
[Collection(nameof(FhirServerFixture))]
public class FhirFaultRecoveryTests(FhirServerFixture fhir, RecoveryServiceHost service) : IClassFixture<RecoveryServiceHost>
{
    private static async Task<JsonNode> CardsAsync(ServiceHost host, string hookJson)
    {
        var (response, body) = await host.PostAsync(ServiceHost.HookPath, hookJson);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body!["cards"]!;
    }

    [Fact]
    public async Task A_body_that_never_ends_is_cut_off_by_the_attempt_timeout_and_retried()
    {
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (request, attempt) =>
            request.Path.Value!.EndsWith("/Condition", StringComparison.Ordinal) && attempt == 1 ? FaultProxy.EndlessBody() : null);

        var fetched = await CardsAsync(service, FhirServerTests.WithServer("crlm-high-risk", proxy.BaseUrl));

        Assert.Equal(CdsHooksWire.Readable(await CardsAsync(service, Examples.Hook("crlm-high-risk"))), CdsHooksWire.Readable(fetched));
        Assert.Equal(2, proxy.Requests.Count(r => r.StartsWith("/Condition", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_server_that_recovers_is_read_again_within_seconds_of_its_circuit_opening()
    {
        var failing = true;
        await using var proxy = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => Volatile.Read(ref failing) ? FaultProxy.Status(503) : null);
        var hook = FhirServerTests.WithServer("crlm-high-risk", proxy.BaseUrl);
        string? diagnostics = null;
        // The standard breaker opens after 100 failed attempts in its window: about a dozen failing hooks.
        for (var i = 0; i < 30 && diagnostics?.Contains("circuit open", StringComparison.Ordinal) != true; i++)
            diagnostics = (string?)(await service.PostAsync(ServiceHost.HookPath, hook)).Body?["issue"]?[0]?["diagnostics"];
        Assert.Contains("circuit open", diagnostics, StringComparison.Ordinal);

        Volatile.Write(ref failing, false);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the configured break is 2 s

        Assert.Equal(CdsHooksWire.Readable(await CardsAsync(service, Examples.Hook("crlm-high-risk"))), CdsHooksWire.Readable(await CardsAsync(service, hook)));
    }
}
