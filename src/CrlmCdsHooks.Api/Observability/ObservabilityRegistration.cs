using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CrlmCdsHooks.Api.Observability;

/// <summary>OpenTelemetry traces and metrics (exported by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set), JSON logs, health checks.</summary>
internal static class ObservabilityRegistration
{
    public const string LiveTag = "live";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
            builder.Logging.ClearProviders().AddJsonConsole(json => json.IncludeScopes = true);

        builder.Services.AddSingleton<CrlmTelemetry>();
        // The SDK and its per-request instrumentation run only when something exports them (measured: docs/performance.md);
        // the service's own Meter and ActivitySource still serve any listener, e.g. dotnet-counters.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? CrlmTelemetry.Name))
                .WithTracing(tracing => tracing.AddSource(CrlmTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
                .WithMetrics(metrics => metrics.AddMeter(CrlmTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
                .UseOtlpExporter();

        builder.Services.Configure<FhirServerReadinessOptions>(builder.Configuration.GetSection(FhirServerReadinessOptions.Section));
        builder.Services.AddSingleton<FhirServerReachabilityCheck.Cache>();
        builder.Services.AddHttpClient(FhirServerReachabilityCheck.HttpClientName)
            .WithoutRedirects();
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCheck<ConfigurationHealthCheck>("configuration")
            .AddCheck<FhirServerReachabilityCheck>("fhir-servers");
        return builder;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: configuration loaded and, when enabled, EHR FHIR servers reachable.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains(LiveTag) }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready").DisableRateLimiting();
        return app;
    }
}

/// <summary>Reports what the instance runs with (model version, registered clients): no patient data.</summary>
internal sealed class ConfigurationHealthCheck(FhirPatientAssessor assessor, IOptions<CdsHooksOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(
            $"model {assessor.Model.Id} {assessor.Model.Version}; {options.Value.Clients.Count} registered client(s)"));
}
