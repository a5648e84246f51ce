using System.Net;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api;

/// <summary>The service's log events, source-generated. They carry opaque ids only: never a token, never patient data.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance} service {Service}: {RiskGroup}, {Cards} card(s) in {ElapsedMs:0.0} ms")]
    public static partial void HookAnswered(ILogger logger, string hookInstance, string service, RiskGroup riskGroup, int cards, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance}: prefetch unavailable for {Keys}; answered 412")]
    public static partial void PrefetchUnavailable(ILogger logger, string hookInstance, IReadOnlyList<string> keys);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hook {HookInstance}: read {Queries} queries from the FHIR server in {Requests} requests; unreadable: {Unreadable}")]
    public static partial void FhirFetched(ILogger logger, string hookInstance, int queries, int requests, IReadOnlyList<string> unreadable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development mode: accepting UNSIGNED requests from loopback addresses only; requests from any other address are refused")]
    public static partial void DevelopmentLoopbackMode(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request from {RemoteAddress}: Development mode answers loopback only")]
    public static partial void RefusedNonLoopback(ILogger logger, IPAddress? remoteAddress);
}
