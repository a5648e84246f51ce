using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Api.Smart;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>What every card of one answer shares: the patient, where the app and the icon are, the override reasons.</summary>
/// <param name="AppLaunchUrl">The SMART app's launch URL: every card links to the whole assessment.</param>
/// <param name="IconUrl">The absolute URL of the service's icon (CDS Hooks 2.0 <c>source.icon</c>).</param>
internal sealed record CardContext(string PatientId, string AppLaunchUrl, string IconUrl, IReadOnlyList<WireCoding> OverrideReasons)
{
    /// <summary>The service's 100×100 opaque PNG, served from wwwroot.</summary>
    public const string IconPath = "/icons/crlm-cds-hooks.png";

    public static CardContext For(string patientId, HttpRequest request, CdsHooksOptions settings)
    {
        var baseUrl = settings.BaseUrlFor(request);
        return new CardContext(patientId, baseUrl + SmartAppEndpoints.LaunchPath, baseUrl + IconPath,
            settings.EffectiveOverrideReasons.Select(r => new WireCoding(r.System, r.Code, r.Display)).ToList());
    }
}

/// <summary>The project's own code systems (published in fhir-profiles/ as CodeSystem resources).</summary>
internal static class CardCodes
{
    /// <summary>The decision models a card can come from (<c>source.topic</c>).</summary>
    public const string ModelSystem = "http://crlm-cds-hooks.example.org/fhir/CodeSystem/crlm-decision-model";
    /// <summary>Why a clinician did not follow a card (<c>overrideReasons</c>), unless a site configures its own.</summary>
    public const string OverrideReasonSystem = "http://crlm-cds-hooks.example.org/fhir/CodeSystem/crlm-override-reason";
}
