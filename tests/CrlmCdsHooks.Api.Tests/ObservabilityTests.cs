using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OpenTelemetry.Trace;
using CrlmCdsHooks.Api.CdsHooks;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.TestData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>Health endpoints, the service's own metrics and traces.</summary>
[Collection(nameof(FhirServerFixture))]
public class ObservabilityTests(FhirServerFixture fhir, ServiceHost service)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_without_a_token(string path)
    {
        using var client = service.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_waits_for_the_warm_up_which_answers_an_example_without_counting_it_as_a_hook()
    {
        var warmUp = new HookWarmUp(service.Services.GetRequiredService<FhirPatientAssessor>(), NullLogger<HookWarmUp>.Instance);

        var before = await warmUp.CheckHealthAsync(new HealthCheckContext());
        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!;
        var after = await warmUp.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Unhealthy, "warming up"), (before.Status, before.Description));
        Assert.Equal(HealthStatus.Healthy, after.Status);
        // The running service warmed itself up, and no hook log line or metric names the example's hook instance.
        Assert.Contains(service.Logs.Lines, line => line.Contains("Warmed up: an example hook answered", StringComparison.Ordinal));
        var exampleInstance = (string)Examples.HookJson("crlm-indeterminate-ras")["hookInstance"]!;
        Assert.DoesNotContain(service.Logs.Lines, line => line.Contains(exampleInstance, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_checks_registered_fhir_servers_with_a_cache_and_an_unreachable_one_degrades_without_failing()
    {
        await using var reachable = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null);
        Uri closed;
        await using (var gone = await FaultProxy.StartAsync(fhir.BaseUrl, (_, _) => null))
            closed = gone.BaseUrl;
        using var configured = new SecuredService(new()
        {
            ["Health:FhirServers:Enabled"] = "true",
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUri"] = "http://127.0.0.1:9/jwks.json",
            ["CdsHooks:Clients:0:FhirServers:0"] = reachable.BaseUrl.ToString(),
            ["CdsHooks:Clients:0:FhirServers:1"] = closed.ToString(),
        }, environment: "Development");
        using var client = configured.CreateClient();

        using var first = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var second = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Degraded", await first.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", await second.Content.ReadAsStringAsync());
        Assert.Equal(["/metadata"], reachable.Requests);
    }

    [Fact]
    public async Task A_hook_records_its_duration_its_risk_group_and_a_trace()
    {
        var measurements = new ConcurrentQueue<(string Instrument, string? RiskGroup)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CrlmCdsHooks")
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        void Record<T>(Instrument instrument, T _, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            string? group = null;
            foreach (var tag in tags)
                if (tag.Key == "risk_group")
                    group = tag.Value as string;
            measurements.Enqueue((instrument.Name, group));
        }
        meters.SetMeasurementEventCallback<double>(Record);
        meters.SetMeasurementEventCallback<long>(Record);
        meters.Start();
        var activities = new ConcurrentQueue<string>();
        using var traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "CrlmCdsHooks",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => activities.Enqueue(activity.OperationName),
        };
        ActivitySource.AddActivityListener(traces);

        var (response, _) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-boundary-high"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(("crlm.cards", "High"), measurements);
        Assert.Contains(("crlm.hook.duration", "High"), measurements);
        Assert.Contains("patient-view", activities);
    }

    [Fact]
    public async Task A_refused_token_is_counted_by_reason()
    {
        var failures = new ConcurrentQueue<string?>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CrlmCdsHooks" && instrument.Name == "crlm.auth.failures")
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "reason")
                    failures.Enqueue(tag.Value as string);
        });
        meters.Start();
        using var client = service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/cds-services", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer not-a-jwt");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("malformed", failures);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_configured_traces_of_a_hook_are_exported_to_it()
    {
        var received = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/{signal}", (string signal) => { received.Enqueue(signal); return Microsoft.AspNetCore.Http.Results.Ok(); });
        await receiver.StartAsync();
        using var exporting = new SecuredService(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Urls.Single(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }, environment: "Development");
        using var client = exporting.CreateClient();
        using var content = new StringContent(Examples.Hook("crlm-low-risk"), System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri(ServiceHost.HookPath, UriKind.Relative), content);
        var tracer = (TracerProvider)exporting.Services.GetService(typeof(TracerProvider))!;
        tracer.ForceFlush(5000);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("traces", received);
    }
}
