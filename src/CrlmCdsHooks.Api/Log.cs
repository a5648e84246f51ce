using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api;

/// <summary>The service's log events, source-generated. They carry opaque ids only: never a token, never patient data.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance} from {Client} service {Service}: {RiskGroup}, {Cards} card(s) in {ElapsedMs:0.00} ms, {FhirMs:0.00} ms of it reading the FHIR server")]
    public static partial void HookAnswered(ILogger logger, string hookInstance, string client, string service, RiskGroup riskGroup, int cards, double elapsedMs, double fhirMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance} from {Client} service {Service}: no draft liver resection or ablation among the orders; no card, nothing read")]
    public static partial void NoLiverTreatmentOrdered(ILogger logger, string hookInstance, string client, string service);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance}: prefetch unavailable for {Keys}; answered 412")]
    public static partial void PrefetchUnavailable(ILogger logger, string hookInstance, IReadOnlyList<string> keys);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance}: read {Queries} queries from the FHIR server in {Requests} requests; unreadable: {Unreadable}")]
    public static partial void FhirFetched(ILogger logger, string hookInstance, int queries, int requests, IReadOnlyList<string> unreadable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development mode: UNSIGNED requests are accepted from loopback addresses only; signed requests from registered clients are accepted as in production")]
    public static partial void DevelopmentLoopbackMode(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed on {Path} ({Reason}): {Detail}")]
    public static partial void AuthenticationFailed(ILogger logger, string path, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hook {HookInstance} from {Client}: refused fhirServer {FhirServer}, not registered for the client")]
    public static partial void FhirServerRefused(ILogger logger, string hookInstance, string client, string fhirServer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback for {Service} from {Client}: {Items} item(s)")]
    public static partial void FeedbackReceived(ILogger logger, string service, string client, int items);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feedback for {Service} from {Client} refused: {Fault}")]
    public static partial void FeedbackRefused(ILogger logger, string service, string client, string fault);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit: {Records} record(s) dropped: {Reason}")]
    public static partial void AuditDropped(ILogger logger, int records, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit store unavailable ({Error}): {Detail}; records wait in the queue and are dropped when it is full")]
    public static partial void AuditStoreUnavailable(ILogger logger, string error, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention: purged {Cards} card(s) and {Feedback} feedback item(s) older than {Before:u}")]
    public static partial void AuditPurged(ILogger logger, int cards, int feedback, DateTime before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single instance: no ConnectionStrings:Redis, so JWT replay detection and rate limits are kept in this instance's memory. Behind a load balancer with more than one instance, configure Redis.")]
    public static partial void SingleInstance(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shared state: JWT replay detection and per-client rate limits are kept in Redis")]
    public static partial void SharedStateInRedis(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for {Use} ({Error}); {Consequence}")]
    public static partial void RedisUnavailable(ILogger logger, string use, string error, string consequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up: an example hook answered in {ElapsedMs:0} ms; readiness reports ready")]
    public static partial void WarmedUp(ILogger logger, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Warm-up failed: the service could not answer its own example hook, so readiness stays unhealthy")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception);
}
