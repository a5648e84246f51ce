using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly.CircuitBreaker;

namespace CrlmCdsHooks.Fhir;

/// <summary>Registers <see cref="FhirDataReader"/> and its resilient HttpClient.</summary>
public static class FhirDataAccess
{
    /// <summary>Adds the reader; options from the <c>FhirData</c> section.</summary>
    public static IServiceCollection AddFhirDataAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(FhirDataOptions.Section);
        services.Configure<FhirDataOptions>(section);
        var options = section.Get<FhirDataOptions>() ?? new FhirDataOptions();

        var http = services.AddHttpClient(FhirDataReader.HttpClientName, client => client.MaxResponseContentBufferSize = options.MaxResponseBytes)
            .WithoutRedirects();
        http.AddStandardResilienceHandler(resilience =>
            {
                resilience.TotalRequestTimeout.Timeout = options.HookDeadline;
                resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
                resilience.Retry.MaxRetryAttempts = options.MaxRetries;
                resilience.Retry.UseJitter = true;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
                resilience.Retry.ShouldRetryAfterHeader = true;
                // A query refused while the breaker probes a recovering server (half-open) waits and tries again, so the
                // first chart opened after recovery is read in full rather than answered as incomplete.
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome) || args.Outcome.Exception is BrokenCircuitException);
                // After ShouldHandle: it wraps the predicate set above.
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * options.AttemptTimeout.TotalSeconds));
                resilience.CircuitBreaker.BreakDuration = options.CircuitBreakDuration;
            })
            // One circuit breaker per FHIR server: a failing EHR does not cut off another.
            .SelectPipelineByAuthority();
        // Inside the resilience pipeline, so each attempt's timeout covers the whole body, not only the headers.
        http.AddHttpMessageHandler(() => new WholeBodyHandler(options.MaxResponseBytes));
        services.AddSingleton<FhirDataReader>();
        return services;
    }

    /// <summary>
    /// Never follows a redirect: a server the service trusts could otherwise send it, and the token it carries,
    /// to a host it does not trust. Every client that calls an EHR's endpoints uses this.
    /// </summary>
    public static IHttpClientBuilder WithoutRedirects(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All });

    /// <summary>
    /// Reads the response body within the attempt: a server that sends headers and then an endless or stalled body is
    /// cut off by the attempt timeout, retried, and counted by the circuit breaker, instead of holding the hook until
    /// its deadline.
    /// </summary>
    private sealed class WholeBodyHandler(long maxBytes) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            try
            {
                await response.Content.LoadIntoBufferAsync(maxBytes, cancellationToken);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}
