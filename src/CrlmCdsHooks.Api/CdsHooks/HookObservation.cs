using CrlmCdsHooks.Api.Audit;
using System.Diagnostics;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// The trace, metrics and log line of one hook call, the same for every service: started when the service begins,
/// written when it answers with cards (opaque ids only, never a token or patient data).
/// </summary>
internal sealed class HookObservation : IDisposable
{
    private readonly HookCall _call;
    private readonly string _serviceId;
    private readonly CrlmTelemetry _telemetry;
    private readonly IAuditRecorder _audit;
    private readonly ILogger _logger;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();

    private HookObservation(HookCall call, string serviceId, string hook, CrlmTelemetry telemetry, IAuditRecorder audit, ILogger logger)
    {
        (_call, _serviceId, _telemetry, _audit, _logger) = (call, serviceId, telemetry, audit, logger);
        _activity = CrlmTelemetry.Source.StartActivity(hook);
        _activity?.SetTag("cds.hook_instance", call.Request.HookInstance);
    }

    public static HookObservation Start(HookCall call, ServiceDescriptor service, CrlmTelemetry telemetry, IAuditRecorder audit, ILogger logger) =>
        new(call, service.Id, service.Hook, telemetry, audit, logger);

    /// <summary>Records the answer (metrics, trace, log line, one audit record per card) and returns it as the CDS Hooks response.</summary>
    public IResult Answered(Assessment assessment, IReadOnlyList<Card> cards, PatientRecord record)
    {
        var riskGroup = assessment.RiskGroup;
        var complete = record.Unreadable.Count == 0;
        var elapsedMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        _telemetry.HookAnswered(riskGroup, complete, elapsedMs);
        _activity?.SetTag("crlm.risk_group", riskGroup.ToString());
        var client = CdsClientTokenValidator.ClientOf(_call.Caller);
        foreach (var card in cards)
            _audit.Record(Guid.Parse(card.Uuid), _serviceId, _call.Request.HookInstance, client, _call.Request.PatientId, assessment, complete);
        Log.HookAnswered(_logger, _call.Request.HookInstance, client, _serviceId, riskGroup, cards.Count, elapsedMs, record.FhirMs);
        return TypedResults.Json(new CardsResponse(cards), CdsJson.Options);
    }

    public void Dispose() => _activity?.Dispose();
}
