namespace CrlmCdsHooks.Api.Governance;

/// <summary>
/// Who may read the governance report (configuration section <c>Governance</c>): bearer tokens of an OAuth 2.0 /
/// OpenID Connect provider carrying a role. Without an <see cref="Authority"/>, only Development's unsigned loopback
/// calls are answered.
/// </summary>
public sealed class GovernanceOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Governance";

    /// <summary>The provider's issuer URL; its keys are found through <c>/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }
    /// <summary>The <c>aud</c> the tokens must carry.</summary>
    public string? Audience { get; set; }
    /// <summary>The role a caller must hold.</summary>
    public string Role { get; set; } = "crlm-governance";
    /// <summary>The claim that lists the caller's roles (<c>roles</c> for Entra ID and most providers).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Refuses a half-made configuration, with a message saying what to fix.</summary>
    public void Validate()
    {
        if (Authority is null)
            return;
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var url) || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && Security.CdsHooksOptions.IsLoopback(url))))
            throw new InvalidOperationException($"{Section}:Authority must be the https issuer URL of the OpenID Connect provider (http on loopback only).");
        if (string.IsNullOrWhiteSpace(Audience) || string.IsNullOrWhiteSpace(Role) || string.IsNullOrWhiteSpace(RoleClaim))
            throw new InvalidOperationException($"{Section}:Audience, Role and RoleClaim are required with {Section}:Authority.");
    }
}
