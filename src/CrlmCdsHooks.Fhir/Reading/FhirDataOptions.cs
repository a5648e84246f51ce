namespace CrlmCdsHooks.Fhir;

/// <summary>How the service reads an EHR's FHIR server when prefetch is missing (configuration section <c>FhirData</c>).</summary>
public sealed class FhirDataOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "FhirData";

    /// <summary>The whole hook answers within this, with what it could read. CDS Hooks asks for answers in about 500 ms; EHRs wait a few seconds at most.</summary>
    public TimeSpan HookDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One HTTP attempt is abandoned after this and retried if time remains.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// How long a FHIR server that failed repeatedly is not called. Short, so a server that has recovered is read again
    /// within seconds; long enough that a failing one is not hammered by every chart opened meanwhile.
    /// </summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a failed GET (5xx, 408, 429, timeouts), with jittered backoff or the server's Retry-After.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// Search pages (of <see cref="PrefetchQueries.PageSize"/>) followed per query; more is refused as a runaway result.
    /// 25 pages hold a long oncology history (a few thousand Observations); the hook's deadline bounds the time.
    /// </summary>
    public int MaxPages { get; set; } = 25;

    /// <summary>Largest response body read from a FHIR server; a larger one fails that query.</summary>
    public long MaxResponseBytes { get; set; } = 16 * 1024 * 1024;
}
