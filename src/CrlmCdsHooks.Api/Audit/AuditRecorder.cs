using System.Threading.Channels;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api.Audit;

/// <summary>Where the request path hands what the audit keeps: a card the service returned, feedback on cards.</summary>
internal interface IAuditRecorder
{
    /// <summary>Keeps the audit record of one card. Never waits and never throws.</summary>
    /// <param name="complete">False when data could not be read: the card is then counted as incomplete.</param>
    void Record(Guid cardId, string service, string hookInstance, string client, string patientId, Assessment assessment, bool complete);

    /// <summary>Keeps one feedback batch, all of it or none of it; false when it was dropped.</summary>
    bool Record(IReadOnlyList<FeedbackRecord> feedback);
}

/// <summary>With the audit off (<c>Audit:Enabled=false</c>): nothing is kept.</summary>
internal sealed class NoAudit : IAuditRecorder
{
    public void Record(Guid cardId, string service, string hookInstance, string client, string patientId, Assessment assessment, bool complete) { }

    public bool Record(IReadOnlyList<FeedbackRecord> feedback) => true;
}

/// <summary>
/// Takes audit records from the request path into a bounded in-memory queue; <see cref="AuditWriter"/> writes them in
/// batches. Never waits and never throws: when the queue is full the record is dropped, counted and logged, and the
/// hook answers as usual.
/// </summary>
internal sealed class QueuedAuditRecorder(Channel<AuditBatch> queue, PatientPseudonym pseudonym, TimeProvider clock,
    CrlmTelemetry telemetry, ILogger<QueuedAuditRecorder> logger) : IAuditRecorder
{
    public void Record(Guid cardId, string service, string hookInstance, string client, string patientId, Assessment assessment, bool complete) =>
        Enqueue(new AuditBatch([new CardRecord
        {
            CardId = cardId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Service = service,
            HookInstance = hookInstance,
            Client = client,
            PatientPseudonym = pseudonym.Of(patientId),
            ModelId = assessment.Model.Id,
            ModelVersion = assessment.Model.Version,
            RiskGroup = complete ? AuditNames.Of(assessment.RiskGroup) : AuditNames.Incomplete,
            Recommendation = AuditNames.Of(assessment.Recommendation.Kind),
            ReviewItems = assessment.Review.Count,
        }], []));

    public bool Record(IReadOnlyList<FeedbackRecord> feedback) => Enqueue(new AuditBatch([], feedback));

    // A full queue under load drops on every hook: the metric counts each record, the log says so once per interval.
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);
    private long _droppedSinceLog;
    private long _lastDropLog;

    private bool Enqueue(AuditBatch batch)
    {
        if (queue.Writer.TryWrite(batch))
            return true;
        telemetry.AuditDropped(batch.Count, "queue-full");
        Interlocked.Add(ref _droppedSinceLog, batch.Count);
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropLog);
        if ((last == 0 || clock.GetElapsedTime(last, now) >= DropLogInterval) && Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
            Log.AuditDropped(logger, (int)Interlocked.Exchange(ref _droppedSinceLog, 0), "the write queue is full");
        return false;
    }
}

/// <summary>Records that are written together, in one transaction.</summary>
internal sealed record AuditBatch(IReadOnlyList<CardRecord> Cards, IReadOnlyList<FeedbackRecord> Feedback)
{
    public int Count => Cards.Count + Feedback.Count;
}

/// <summary>The words the store and the report use for the model's enums.</summary>
internal static class AuditNames
{
    public const string Incomplete = "incomplete";

    public static string Of(RiskGroup group) => Kebab(group.ToString());

    public static string Of(RecommendationKind kind) => Kebab(kind.ToString());

    private static string Kebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
