using CrlmCdsHooks.Api.Security;

namespace CrlmCdsHooks.Api.Smart;

/// <summary>The SMART on FHIR app's registration with the EHRs that launch it (configuration section <c>SmartApp</c>).</summary>
public sealed class SmartAppOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "SmartApp";

    /// <summary>The client id the EHR's authorization server registered for this app (a public client: no secret).</summary>
    public string ClientId { get; set; } = "crlm-cds-hooks";

    /// <summary>
    /// Scopes asked at an EHR launch (SMART 2.x <c>.rs</c>); a standalone launch asks <c>launch/patient</c> in place of <c>launch</c>.
    /// An EHR that only knows SMART 1 takes the <c>.read</c> equivalents.
    /// </summary>
    public string Scopes { get; set; } = "launch patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/Procedure.rs";

    /// <summary>
    /// Scopes asked besides <see cref="Scopes"/> for the MDT view's context (systemic therapy). Not required: when the EHR
    /// refuses them the assessment is still shown, and the view says which section could not be read and why.
    /// </summary>
    public string ContextScopes { get; set; } =
        "patient/MedicationRequest.rs patient/MedicationStatement.rs patient/MedicationAdministration.rs patient/Medication.rs";

    /// <summary>FHIR base URLs (<c>iss</c>) allowed to launch the app; the page may connect only to their origins.</summary>
    public List<string> Issuers { get; set; } = [];

    /// <summary>Other origins the browser must reach, e.g. an authorization server's token endpoint on another host.</summary>
    public List<string> ConnectOrigins { get; set; } = [];

    /// <summary>EHR origins allowed to show the app in a frame; none by default.</summary>
    public List<string> FrameAncestors { get; set; } = [];

    /// <summary>Refuses URLs that would let the page talk to an unencrypted, non-local server.</summary>
    public void Validate()
    {
        foreach (var (name, url) in Issuers.Select(u => (nameof(Issuers), u))
            .Concat(ConnectOrigins.Select(u => (nameof(ConnectOrigins), u)))
            .Concat(FrameAncestors.Select(u => (nameof(FrameAncestors), u))))
            if (!CdsHooksOptions.IsAbsoluteHttpUrl(url, requireHttps: true))
                throw new InvalidOperationException($"{Section}:{name} '{url}' must be an absolute https URL (http is allowed on loopback addresses only).");
    }
}
