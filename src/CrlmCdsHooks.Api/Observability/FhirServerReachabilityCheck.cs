using CrlmCdsHooks.Api.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Observability;

/// <summary>Whether readiness also checks the registered FHIR servers (configuration section <c>Health:FhirServers</c>).</summary>
public sealed class FhirServerReadinessOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Health:FhirServers";
    /// <summary>Check the registered FHIR servers' <c>/metadata</c>; off by default.</summary>
    public bool Enabled { get; set; }
    /// <summary>How long one check's result is reused, so probes do not load the EHRs.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Time allowed for each server to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Reads each registered FHIR server's CapabilityStatement (<c>/metadata</c>: no patient data). An unreachable server makes
/// the instance Degraded, not Unhealthy: hooks with prefetch still work, and taking every replica out of service because
/// one EHR is down would stop them too.
/// </summary>
internal sealed class FhirServerReachabilityCheck(IHttpClientFactory httpClients, IOptions<CdsHooksOptions> clients,
    IOptions<FhirServerReadinessOptions> options, FhirServerReachabilityCheck.Cache cache, TimeProvider clock) : IHealthCheck
{
    public const string HttpClientName = "health";

    /// <summary>The last result, shared across checks.</summary>
    internal sealed class Cache
    {
        public (HealthCheckResult Result, DateTimeOffset At)? Last { get; set; }
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
            return HealthCheckResult.Healthy("FHIR server checks disabled");
        if (cache.Last is { } last && clock.GetUtcNow() - last.At < options.Value.CacheFor)
            return last.Result;

        var servers = clients.Value.Clients.SelectMany(c => c.FhirServers).Distinct(StringComparer.Ordinal).ToList();
        var unreachable = (await Task.WhenAll(servers.Select(async server => await IsReachableAsync(server, cancellationToken) ? null : server)))
            .OfType<string>().ToList();
        var result = unreachable.Count == 0
            ? HealthCheckResult.Healthy($"{servers.Count} FHIR server(s) reachable")
            : HealthCheckResult.Degraded($"unreachable: {string.Join(", ", unreachable)}");
        cache.Last = (result, clock.GetUtcNow());
        return result;
    }

    private async Task<bool> IsReachableAsync(string server, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await http.GetAsync(new Uri(server.TrimEnd('/') + "/metadata"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }
}
