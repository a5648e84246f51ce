using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using CrlmCdsHooks.Api.CdsHooks;
using Microsoft.AspNetCore.Mvc.Testing;
using CrlmCdsHooks.Api.Tests.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>The real service on Kestrel, on a free loopback port, in the Development environment.</summary>
public class ServiceHost : WebApplicationFactory<Program>
{
    public const string HookPath = "/cds-services/crlm-recurrence-liu2021";

    public ServiceHost()
    {
        UseKestrel(0);
        StartServer();
        WaitForWarmUp(Services);
    }

    /// <summary>Readiness waits for the service's warm-up; tests that read it, or time a hook, wait for it too.</summary>
    public static void WaitForWarmUp(IServiceProvider services) =>
        services.GetRequiredService<HookWarmUp>().ExecuteTask?.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();

    /// <summary>Every log line the service wrote, with its exception, to check nothing secret is logged.</summary>
    public LogRecorder Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseEnvironment("Development").UseTemporaryAuditStore().ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));

    public async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(string path, string body, string contentType = "application/json")
    {
        using var client = CreateClient();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var client = CreateClient();
        return JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)))!;
    }
}

[CollectionDefinition(nameof(ServiceHost))]
public sealed class ServiceHostGroup : ICollectionFixture<ServiceHost>;

public sealed class LogRecorder : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose() { }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>
/// The service for the corpus run: a hook deadline long enough that a loaded CI machine searching the corpus server
/// still reads every record, and an assessment budget for the whole corpus; the answers, not the timing or the limits,
/// are under test there.
/// </summary>
public sealed class CorpusServiceHost : ServiceHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FhirData:HookDeadline", "00:00:20").UseSetting("FhirData:AttemptTimeout", "00:00:10")
            // Every corpus record is assessed back to back from one address: the per-address budget is not under test here.
            .UseSetting("CdsHooks:AssessmentRateLimitBurst", "1000");
    }
}

[CollectionDefinition(nameof(CorpusServiceHost))]
public sealed class CorpusGroup : ICollectionFixture<CorpusFhirServerFixture>, ICollectionFixture<CorpusServiceHost>;
