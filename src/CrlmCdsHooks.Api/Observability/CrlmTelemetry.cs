using System.Diagnostics;
using System.Diagnostics.Metrics;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api.Observability;

/// <summary>The service's own traces and metrics, beside ASP.NET Core's and HttpClient's. No patient data in any tag.</summary>
internal sealed class CrlmTelemetry : IDisposable
{
    public const string Name = "CrlmCdsHooks";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Histogram<double> _hookDuration;
    private readonly Histogram<double> _fhirFetchDuration;
    private readonly Counter<long> _fhirRequests;
    private readonly Counter<long> _cards;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _feedbackOutcomes;
    private readonly Counter<long> _overrideReasons;
    private readonly Counter<long> _auditWritten;
    private readonly Counter<long> _auditDropped;

    public CrlmTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _hookDuration = _meter.CreateHistogram<double>("crlm.hook.duration", "ms", "Time to answer a patient-view hook");
        _fhirFetchDuration = _meter.CreateHistogram<double>("crlm.fhir.fetch.duration", "ms", "Time to read the missing prefetch keys from the EHR's FHIR server");
        _fhirRequests = _meter.CreateCounter<long>("crlm.fhir.requests", "{request}", "HTTP requests made to EHR FHIR servers, pages included");
        _cards = _meter.CreateCounter<long>("crlm.cards", "{card}", "Hook answers by risk group");
        _authFailures = _meter.CreateCounter<long>("crlm.auth.failures", "{failure}", "Refused CDS client tokens by reason");
        _feedbackOutcomes = _meter.CreateCounter<long>("crlm.feedback.outcomes", "{outcome}", "Feedback on cards by outcome (accepted, overridden)");
        _overrideReasons = _meter.CreateCounter<long>("crlm.feedback.override_reasons", "{reason}", "Overridden cards by override reason code");
        _auditWritten = _meter.CreateCounter<long>("crlm.audit.written", "{record}", "Audit records (cards, feedback) written to the store");
        _auditDropped = _meter.CreateCounter<long>("crlm.audit.dropped", "{record}", "Audit records lost by reason (queue-full, write-failed)");
    }

    public void HookAnswered(RiskGroup riskGroup, bool complete, double milliseconds)
    {
        var group = new KeyValuePair<string, object?>("risk_group", complete ? riskGroup.ToString() : "incomplete");
        _hookDuration.Record(milliseconds, group);
        _cards.Add(1, group);
    }

    public void FhirFetched(int requests, double milliseconds)
    {
        _fhirRequests.Add(requests);
        _fhirFetchDuration.Record(milliseconds);
    }

    public void AuthenticationFailed(string reason) => _authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts one feedback item; <paramref name="overrideReason"/> is the reason's code when overridden with one.</summary>
    public void FeedbackReceived(string outcome, string? overrideReason)
    {
        _feedbackOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (overrideReason is not null)
            _overrideReasons.Add(1, new KeyValuePair<string, object?>("reason", overrideReason));
    }

    public void AuditWritten(int records) => _auditWritten.Add(records);

    public void AuditDropped(int records, string reason) => _auditDropped.Add(records, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
