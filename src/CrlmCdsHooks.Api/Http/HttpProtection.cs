using System.Net;
using CrlmCdsHooks.Api.Fhir;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;

namespace CrlmCdsHooks.Api.Http;

/// <summary>
/// What every response carries and how the service sees its callers behind a proxy: <c>nosniff</c> and
/// <c>no-store</c> on every answer (they may carry patient data), an OperationOutcome without internals if a request
/// ever fails unexpectedly, and the caller's address from <c>X-Forwarded-For</c> only when sent by a configured proxy.
/// </summary>
internal static class HttpProtection
{
    /// <summary>Configuration section naming the reverse proxies whose <c>X-Forwarded-*</c> headers are believed.</summary>
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    public static WebApplicationBuilder AddHttpProtection(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection(ForwardedHeadersSection).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the listed proxies are believed; the framework's default trusts loopback, which is not a proxy here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.KnownProxies)
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in proxies.KnownNetworks)
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return builder;
    }

    /// <summary>First in the pipeline: the caller's address (behind a configured proxy), then the exception answer, then the headers.</summary>
    public static WebApplication UseHttpProtection(this WebApplication app)
    {
        // Without a configured proxy the headers are never believed: no middleware to run on every request.
        var forwarded = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (forwarded.KnownProxies.Count + forwarded.KnownIPNetworks.Count > 0)
            app.UseForwardedHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = AnswerFailureAsync });
        app.Use((http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
            return next(http);
        });
        return app;
    }

    /// <summary>The exception is logged by the framework with the trace id; the caller gets the id and nothing else.</summary>
    private static Task AnswerFailureAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var answer = error is BadHttpRequestException bad
            ? Outcomes.Error(bad.StatusCode, OperationOutcome.IssueType.Invalid, $"The request could not be read (HTTP {bad.StatusCode}).")
            : Outcomes.Error(StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
                $"The service failed on this request and logged it as {http.TraceIdentifier}. Nothing was stored; try again, and report the id if it persists.");
        return answer.ExecuteAsync(http);
    }

    private sealed class ForwardedHeadersSettings
    {
        public List<string> KnownProxies { get; set; } = [];
        public List<string> KnownNetworks { get; set; } = [];
    }
}
