using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// A reverse proxy on its own loopback port in front of the FHIR server, injecting faults and counting requests.
/// Each proxy is a separate authority, so the service's per-server circuit breakers do not affect other tests.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    /// <summary>Decides what to do with a request: null forwards it; otherwise the returned function answers it.</summary>
    public delegate Func<HttpContext, Task>? Fault(HttpRequest request, int attemptForThisUrl);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private FaultProxy(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request path and query received, in order.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static async Task<FaultProxy> StartAsync(Uri upstream, Fault fault)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new FaultProxy(app);
        using var forwarder = new HttpClient();
        var http = new HttpClient();
        app.Run(async context =>
        {
            var pathAndQuery = context.Request.Path + context.Request.QueryString;
            proxy._requests.Enqueue(pathAndQuery);
            var attempt = proxy._attempts.AddOrUpdate(pathAndQuery, 1, (_, n) => n + 1);
            if (fault(context.Request, attempt) is { } answer)
            {
                await answer(context);
                return;
            }
            var target = new Uri(upstream, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString);
            using var response = await http.GetAsync(target);
            var body = await response.Content.ReadAsStringAsync();
            // Paging links name the upstream server; point them back at the proxy.
            body = body.Replace(upstream.ToString().TrimEnd('/'), proxy.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = "application/fhir+json";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        proxy.BaseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        app.Lifetime.ApplicationStopped.Register(http.Dispose);
        return proxy;
    }

    public static Func<HttpContext, Task> Status(int status, string? retryAfterSeconds = null) => async context =>
    {
        context.Response.StatusCode = status;
        if (retryAfterSeconds is not null)
            context.Response.Headers.RetryAfter = retryAfterSeconds;
        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient"}]}""");
    };

    public static Func<HttpContext, Task> Body(string body) => async context =>
    {
        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync(body, Encoding.UTF8);
    };

    public static Func<HttpContext, Task> Delay(TimeSpan delay) => async context =>
    {
        await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
    };

    /// <summary>Headers and the start of a Bundle at once, then a body that never ends: a trickle of spaces until the caller leaves.</summary>
    public static Func<HttpContext, Task> EndlessBody() => async context =>
    {
        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync("""{"resourceType":"Bundle","type":"searchset","entry":[""");
        await context.Response.Body.FlushAsync();
        while (!context.RequestAborted.IsCancellationRequested)
        {
            await context.Response.WriteAsync(" ", context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            await Task.Delay(50, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
