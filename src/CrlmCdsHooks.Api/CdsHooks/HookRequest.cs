using System.Text.Json;
using System.Text.RegularExpressions;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>The parts of a CDS Hooks 2.0 request this service uses, checked on the way in.</summary>
/// <param name="Prefetch">Prefetch values by key; a JSON <c>null</c> value means the EHR has no such data (CDS Hooks 2.0).</param>
/// <param name="FhirAccessToken">The bearer token of <c>fhirAuthorization</c>, for <c>fhirServer</c> only.</param>
internal sealed partial record HookRequest(string Hook, string HookInstance, string PatientId, Uri? FhirServer,
    AccessToken? FhirAccessToken, IReadOnlyDictionary<string, JsonElement> Prefetch)
{
    // Bounds on what a caller sends: each identifier is logged or used in a URL, so none may be a megabyte.
    public const int MaxHookInstanceLength = 128;
    public const int MaxUrlLength = 2048;
    public const int MaxAccessTokenLength = 16 * 1024;

    /// <summary>A hook instance is a UUID (CDS Hooks 2.0); the UUID alphabet, without the 36-character form, is accepted.</summary>
    [GeneratedRegex("^[0-9A-Fa-f-]{1,128}$")]
    private static partial Regex HookInstanceSyntax();

    /// <summary>The FHIR R4 id grammar: the patient id goes into search URLs.</summary>
    [GeneratedRegex("^[A-Za-z0-9.-]{1,64}$")]
    private static partial Regex FhirIdSyntax();

    /// <summary>Reads the request, or says in one sentence what is wrong with it.</summary>
    public static (HookRequest? Request, string? Error) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return (null, "The request body must be a JSON object.");
        if (RequiredString(root, "hook") is not { } hook)
            return (null, "The request has no 'hook' (a non-empty string).");
        if (RequiredString(root, "hookInstance") is not { } hookInstance)
            return (null, "The request has no 'hookInstance' (a non-empty string).");
        if (!HookInstanceSyntax().IsMatch(hookInstance))
            return (null, $"'hookInstance' must be a UUID: at most {MaxHookInstanceLength} characters of 0-9, a-f and '-'.");
        if (!root.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
            return (null, "The request has no 'context' object.");
        if (RequiredString(context, "patientId") is not { } patientId)
            return (null, "The request has no 'context.patientId' (a non-empty string).");
        if (!FhirIdSyntax().IsMatch(patientId))
            return (null, "'context.patientId' must be a FHIR id: 1 to 64 characters of A-Z, a-z, 0-9, '-' and '.'.");

        Uri? fhirServer = null;
        if (root.TryGetProperty("fhirServer", out var server) && server.ValueKind != JsonValueKind.Null)
        {
            if (server.ValueKind != JsonValueKind.String || server.GetString() is not { Length: <= MaxUrlLength } url
                || !Uri.TryCreate(url, UriKind.Absolute, out fhirServer) || fhirServer.Scheme is not ("http" or "https"))
                return (null, $"'fhirServer' must be an absolute http(s) URL of at most {MaxUrlLength} characters.");
        }

        AccessToken? token = null;
        if (root.TryGetProperty("fhirAuthorization", out var authorization) && authorization.ValueKind != JsonValueKind.Null)
        {
            if (authorization.ValueKind != JsonValueKind.Object || RequiredString(authorization, "access_token") is not { Length: <= MaxAccessTokenLength } accessToken)
                return (null, $"'fhirAuthorization' must be an object with an 'access_token' of at most {MaxAccessTokenLength} characters.");
            if (RequiredString(authorization, "token_type") is { } type && !type.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                return (null, "'fhirAuthorization.token_type' must be 'Bearer'.");
            token = new AccessToken(accessToken);
        }

        var prefetch = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("prefetch", out var slots) && slots.ValueKind != JsonValueKind.Null)
        {
            if (slots.ValueKind != JsonValueKind.Object)
                return (null, "'prefetch' must be an object.");
            foreach (var slot in slots.EnumerateObject())
                prefetch[slot.Name] = slot.Value;
        }
        return (new HookRequest(hook, hookInstance, patientId, fhirServer, token, prefetch), null);
    }

    private static string? RequiredString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}

/// <summary>An access token that never prints itself, so no log line or exception message can carry it.</summary>
internal sealed class AccessToken(string value)
{
    public string Value { get; } = value;

    public override string ToString() => "[redacted]";
}
