using System.Text.Json;
using System.Text.RegularExpressions;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>The parts of a CDS Hooks 2.0 request this service uses, checked on the way in.</summary>
/// <param name="Prefetch">Prefetch values by key; a JSON <c>null</c> value means the EHR has no such data (CDS Hooks 2.0).</param>
/// <param name="FhirAccessToken">The bearer token of <c>fhirAuthorization</c>, for <c>fhirServer</c> only.</param>
/// <param name="Context">The whole <c>context</c> object, for what a hook adds beyond the patient (e.g. <c>draftOrders</c>).</param>
internal sealed partial record HookRequest(string Hook, string HookInstance, string PatientId, Uri? FhirServer,
    AccessToken? FhirAccessToken, IReadOnlyDictionary<string, JsonElement> Prefetch, JsonElement Context)
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
            // CDS Hooks 2.0: access_token, token_type (Bearer), expires_in, scope and subject are required.
            if (authorization.ValueKind != JsonValueKind.Object || RequiredString(authorization, "access_token") is not { Length: <= MaxAccessTokenLength } accessToken)
                return (null, $"'fhirAuthorization' must be an object with an 'access_token' of at most {MaxAccessTokenLength} characters.");
            if (RequiredString(authorization, "token_type") is not { } type || !type.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
                return (null, "'fhirAuthorization.token_type' must be 'Bearer'.");
            if (!authorization.TryGetProperty("expires_in", out var expiresIn) || !expiresIn.TryGetInt64(out var seconds))
                return (null, "'fhirAuthorization.expires_in' must be a whole number of seconds.");
            if (RequiredString(authorization, "scope") is not { } scope)
                return (null, "'fhirAuthorization.scope' must be the scopes granted, a non-empty string.");
            if (RequiredString(authorization, "subject") is null)
                return (null, "'fhirAuthorization.subject' must name the OAuth client the token was issued to.");
            if (fhirServer is null)
                return (null, "'fhirAuthorization' was sent without 'fhirServer': a token is only used with the FHIR server it is for.");
            if (authorization.TryGetProperty("patient", out var tokenPatient) && tokenPatient.ValueKind != JsonValueKind.Null
                && (tokenPatient.ValueKind != JsonValueKind.String || tokenPatient.GetString() != patientId))
                return (null, "'fhirAuthorization.patient' differs from 'context.patientId': the token is for another patient.");
            token = new AccessToken(accessToken, Expired: seconds <= 0, scope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        var prefetch = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("prefetch", out var slots) && slots.ValueKind != JsonValueKind.Null)
        {
            if (slots.ValueKind != JsonValueKind.Object)
                return (null, "'prefetch' must be an object.");
            foreach (var slot in slots.EnumerateObject())
                prefetch[slot.Name] = slot.Value;
        }
        return (new HookRequest(hook, hookInstance, patientId, fhirServer, token, prefetch, context), null);
    }

    private static string? RequiredString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}

/// <summary>An access token that never prints itself, so no log line or exception message can carry it.</summary>
/// <param name="Expired">True when <c>expires_in</c> was zero or less: the token is not used.</param>
/// <param name="Scopes">The granted scopes, SMART v1 (<c>patient/Condition.read</c>) or v2 (<c>patient/Condition.rs</c>).</param>
internal sealed partial record AccessToken(string Value, bool Expired, IReadOnlyList<string> Scopes)
{
    [GeneratedRegex(@"^(patient|user|system)/(?<type>[A-Za-z]+|\*)\.(?<permissions>read|\*|[cruds]+)(\?.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopeSyntax();

    /// <summary>True when a granted scope lets the service search this resource type (v1 read or *, v2 both r and s).</summary>
    public bool AllowsSearch(string resourceType) => Scopes.Any(scope =>
        ScopeSyntax().Match(scope) is { Success: true } granted
        && granted.Groups["type"].Value is var type && (type == "*" || type == resourceType)
        && granted.Groups["permissions"].Value is var permissions
        && (permissions is "read" or "*" || (permissions.Contains('r', StringComparison.Ordinal) && permissions.Contains('s', StringComparison.Ordinal))));

    public override string ToString() => "[redacted]";
}
