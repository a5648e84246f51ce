using System.Net;

namespace CrlmCdsHooks.Api.Security;

/// <summary>An EHR allowed to call the service (configuration <c>CdsHooks:Clients:N</c>).</summary>
public sealed class CdsClientOptions
{
    /// <summary>The <c>iss</c> of the EHR's JWTs.</summary>
    public string Issuer { get; set; } = "";
    /// <summary>Where the EHR publishes its signing keys (https, or http on loopback only).</summary>
    public string JwksUri { get; set; } = "";
    /// <summary>JWKS URLs a token's <c>jku</c> header may name; a <c>jku</c> outside this list is refused.</summary>
    public List<string> AllowedJku { get; set; } = [];
    /// <summary>Values the <c>tenant</c> claim must take, when any are given.</summary>
    public List<string> Tenants { get; set; } = [];
    /// <summary>FHIR base URLs this client may ask the service to read (exact match after normalisation).</summary>
    public List<string> FhirServers { get; set; } = [];
}

/// <summary>A reason a clinician may give for not following a card (configuration <c>CdsHooks:OverrideReasons:N</c>).</summary>
public sealed class OverrideReasonOptions
{
    /// <summary>The code system; the project's own unless a site uses its own codes.</summary>
    public string System { get; set; } = CdsHooks.CardCodes.OverrideReasonSystem;
    /// <summary>The code, unique within its system.</summary>
    public string Code { get; set; } = "";
    /// <summary>What the clinician reads.</summary>
    public string Display { get; set; } = "";
}

/// <summary>Who may call the service and the limits on what they send (configuration section <c>CdsHooks</c>).</summary>
public sealed class CdsHooksOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "CdsHooks";

    /// <summary>The service's public base URL (as clients call it, behind any proxy); each JWT's <c>aud</c> is this plus the endpoint path.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>The EHRs allowed to call.</summary>
    public List<CdsClientOptions> Clients { get; set; } = [];
    /// <summary>Signature algorithms accepted; empty means ES384 and RS384. <c>none</c> and HMAC are refused at start-up.</summary>
    public List<string> AllowedAlgorithms { get; set; } = [];
    /// <summary>Tolerance for clock differences on <c>exp</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Least time between two fetches of one JWKS when a token names an unknown key id.</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Browser origins allowed by CORS (browser-based EHR simulators).</summary>
    public List<string> CorsOrigins { get; set; } = [];
    /// <summary>Largest request body accepted; real prefetch for one patient is far smaller.</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Requests per second a client may sustain (token bucket refill).</summary>
    public int RateLimitPerSecond { get; set; } = 20;
    /// <summary>Requests a client may send in a burst (token bucket size).</summary>
    public int RateLimitBurst { get; set; } = 100;
    /// <summary>Entries one Bundle may hold (a prefetch key, or the body of <c>/api/assessments</c>); a long oncology history holds a few thousand.</summary>
    public int MaxBundleEntries { get; set; } = 10_000;
    /// <summary><c>/api/assessments</c> needs no token, so each caller address gets its own, smaller budget (token bucket refill per second).</summary>
    public int AssessmentRateLimitPerSecond { get; set; } = 10;
    /// <summary>Assessments one address may send in a burst (token bucket size).</summary>
    public int AssessmentRateLimitBurst { get; set; } = 50;
    /// <summary>Assessments computed at once, all callers together; more wait in a short queue. Zero means one per processor.</summary>
    public int AssessmentConcurrency { get; set; }
    /// <summary>A request still running after this is cancelled.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The reasons every card offers for overriding it; empty means <see cref="DefaultOverrideReasons"/>.</summary>
    public List<OverrideReasonOptions> OverrideReasons { get; set; } = [];

    /// <summary>The project's reasons (fhir-profiles/CodeSystem-crlm-override-reason.json).</summary>
    public static IReadOnlyList<OverrideReasonOptions> DefaultOverrideReasons { get; } =
    [
        new() { Code = "mdt-decision", Display = "The multidisciplinary team decided otherwise" },
        new() { Code = "record-wrong-or-incomplete", Display = "The record is wrong or incomplete" },
        new() { Code = "not-first-liver-limited-recurrence", Display = "Not a first liver-limited recurrence" },
        new() { Code = "patient-preference", Display = "Patient preference" },
    ];

    /// <summary>The override reasons in effect.</summary>
    public IReadOnlyList<OverrideReasonOptions> EffectiveOverrideReasons => OverrideReasons.Count > 0 ? OverrideReasons : DefaultOverrideReasons;

    /// <summary>The effective algorithm allowlist.</summary>
    public IReadOnlyList<string> Algorithms => AllowedAlgorithms.Count > 0 ? AllowedAlgorithms : ["ES384", "RS384"];

    /// <summary>Refuses a configuration that would weaken security, with a message saying what to fix.</summary>
    public void Validate(bool isDevelopment)
    {
        if (!isDevelopment && Clients.Count == 0)
            throw new InvalidOperationException($"No CDS clients are configured ({Section}:Clients). Outside Development the service only answers signed requests from registered EHRs; register at least one (see README, 'Registering an EHR').");
        if (!isDevelopment && !IsAbsoluteHttpUrl(PublicBaseUrl, requireHttps: false))
            throw new InvalidOperationException($"{Section}:PublicBaseUrl must be the absolute URL clients call the service at; it is the audience every JWT must name.");
        foreach (var algorithm in Algorithms)
            if (algorithm.Equals("none", StringComparison.OrdinalIgnoreCase) || algorithm.StartsWith("HS", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"{Section}:AllowedAlgorithms may not contain '{algorithm}': unsigned and shared-secret tokens are never accepted.");
        foreach (var (reason, index) in OverrideReasons.Select((r, i) => (r, i)))
            if (!Uri.TryCreate(reason.System, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(reason.Code) || string.IsNullOrWhiteSpace(reason.Display))
                throw new InvalidOperationException($"{Section}:OverrideReasons:{index} needs an absolute System URI, a Code and a Display.");
        if (OverrideReasons.GroupBy(r => (r.System, r.Code)).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new InvalidOperationException($"{Section}:OverrideReasons lists '{repeated.Key.Code}' twice: each reason needs its own code, so feedback can name it.");
        foreach (var (client, index) in Clients.Select((c, i) => (c, i)))
        {
            var at = $"{Section}:Clients:{index}";
            if (string.IsNullOrWhiteSpace(client.Issuer))
                throw new InvalidOperationException($"{at}:Issuer is required.");
            foreach (var (name, url) in new[] { ("JwksUri", client.JwksUri) }
                .Concat(client.AllowedJku.Select(u => ("AllowedJku", u)))
                .Concat(client.FhirServers.Select(u => ("FhirServers", u))))
                if (!IsAbsoluteHttpUrl(url, requireHttps: true))
                    throw new InvalidOperationException($"{at}:{name} '{url}' must be an absolute https URL (http is allowed on loopback addresses only).");
        }
    }

    /// <summary>True for localhost and loopback IP addresses.</summary>
    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>A FHIR base URL in one comparable form: lower-case scheme and host, no default port, no trailing slash.</summary>
    public static string NormalizeBaseUrl(Uri url) => url.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>The URL clients reach this service at: <see cref="PublicBaseUrl"/>, or in Development this request's own.</summary>
    public string BaseUrlFor(HttpRequest request) =>
        (PublicBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');

    /// <summary>An absolute http(s) URL; with <paramref name="requireHttps"/>, http only on loopback addresses.</summary>
    public static bool IsAbsoluteHttpUrl(string? value, bool requireHttps) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && (!requireHttps || IsLoopback(url))));
}
