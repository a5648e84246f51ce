using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Smart;

/// <summary>What the app's pages may load and reach, and the configuration the app reads at launch.</summary>
internal sealed class SmartAppPolicy
{
    /// <summary>With no issuer configured in Development, any loopback FHIR server may launch the app (a local sandbox).</summary>
    private static readonly string[] DevelopmentLoopbackSources = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"];

    public SmartAppPolicy(IOptions<SmartAppOptions> options, IWebHostEnvironment environment, PrefetchQueries queries)
    {
        var settings = options.Value;
        var anyLoopbackIssuer = environment.IsDevelopment() && settings.Issuers.Count == 0;
        var templates = queries.Templates();
        PublicConfiguration = new
        {
            clientId = settings.ClientId,
            scope = settings.Scopes,
            issuers = settings.Issuers.Select(u => CdsHooksOptions.NormalizeBaseUrl(new Uri(u))).ToArray(),
            anyLoopbackIssuer,
            queries = PrefetchQueries.ClinicalKeys.ToDictionary(key => key, key => templates[key]),
            contextScope = settings.ContextScopes,
            contextQueries = queries.ContextTemplates(),
        };
        var connect = anyLoopbackIssuer
            ? DevelopmentLoopbackSources
            : settings.Issuers.Concat(settings.ConnectOrigins).Select(Origin).Distinct().ToArray();
        var ancestors = settings.FrameAncestors.Count == 0 ? "'none'" : string.Join(' ', settings.FrameAncestors.Select(Origin));
        // Everything the page loads comes from this service; the browser may talk only to us and the registered EHRs.
        ContentSecurityPolicy = string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            $"connect-src {string.Join(' ', ["'self'", .. connect])}",
            "base-uri 'none'",
            "form-action 'none'",
            $"frame-ancestors {ancestors}");
    }

    /// <summary>The policy every response under <c>/smart</c> carries (beside the nosniff and no-store every response carries).</summary>
    public string ContentSecurityPolicy { get; }

    public void AddHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // The redirect URL carries the authorization code: never send it to another site as a referrer.
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>The app's public settings and the FHIR queries it runs: the hook's prefetch queries (site codes included) and the MDT view's context queries.</summary>
    public object PublicConfiguration { get; }

    private static string Origin(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);
}
