using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Security;

/// <summary>
/// The FHIR servers a caller may make the service read: those registered for the authenticated client, or, for an
/// unsigned Development caller on loopback, loopback servers only. Checked before any network call (no SSRF).
/// </summary>
internal sealed class FhirServerAllowlist(IOptions<CdsHooksOptions> options)
{
    public bool IsAllowed(ClaimsPrincipal caller, Uri fhirServer)
    {
        var issuer = caller.FindFirst(CdsClientTokenValidator.ClientClaim)?.Value;
        if (issuer is null)
            return CdsHooksOptions.IsLoopback(fhirServer);
        var client = options.Value.Clients.FirstOrDefault(c => c.Issuer == issuer);
        var requested = CdsHooksOptions.NormalizeBaseUrl(fhirServer);
        return client is not null && client.FhirServers.Any(s => CdsHooksOptions.NormalizeBaseUrl(new Uri(s)) == requested);
    }
}
