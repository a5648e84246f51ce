using System.Diagnostics;
using System.Text.Json;
using CrlmCdsHooks.Fhir;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// Answers one example hook before readiness reports ready, so the first EHR call after a deploy or a scale-out does
/// not pay for JIT compilation and first use of the FHIR parser, the terminology and the serializers (about 0.5 s).
/// It runs the steps below the handler (read, map, score, card, serialize), not the handler itself, so no metric,
/// log line or audit record counts it as a hook.
/// </summary>
internal sealed class HookWarmUp(FhirPatientAssessor assessor, ILogger<HookWarmUp> logger) : BackgroundService, IHealthCheck
{
    /// <summary>A synthetic patient whose RAS status is unknown: every part of the card, the suggestion included.</summary>
    private const string ExampleResource = "CrlmCdsHooks.Api.CdsHooks.warm-up.hook.json";

    private volatile string? _failure;
    private volatile bool _done;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the warm-up has ended, well or not: start-up work the first hook does not need waits for it.</summary>
    public Task Finished => _finished.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            AnswerExample();
            _done = true;
            var elapsed = Stopwatch.GetElapsedTime(started);
            Log.WarmedUp(logger, elapsed.TotalMilliseconds);
        }
        catch (Exception e)
        {
            // A service that cannot assess its own example must not take traffic: readiness says why.
            _failure = $"{e.GetType().Name}: {e.Message}";
            Log.WarmUpFailed(logger, e);
        }
        finally
        {
            _finished.TrySetResult();
        }
    }, stoppingToken);

    private void AnswerExample()
    {
        using var stream = typeof(HookWarmUp).Assembly.GetManifestResourceStream(ExampleResource)
            ?? throw new InvalidOperationException($"{ExampleResource} is not embedded.");
        using var document = JsonDocument.Parse(stream);
        var (request, error) = HookRequest.Read(document.RootElement);
        if (request is null)
            throw new InvalidOperationException(error);
        var prefetch = PrefetchReader.Read(request);
        var assessment = assessor.Assess(prefetch.Resources.ToList(), prefetch.Warnings.ToList());
        var context = new CardContext(request.PatientId, "http://localhost/smart/launch", "http://localhost" + CardContext.IconPath, []);
        JsonSerializer.SerializeToUtf8Bytes(new CardsResponse([CardBuilder.For(assessment, assessor.Model.Wording, context)]), CdsJson.Options);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy("warmed up")
            : _failure is { } failure ? HealthCheckResult.Unhealthy($"warm-up failed: {failure}")
            : HealthCheckResult.Unhealthy("warming up"));
}
