using System.Security.Claims;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Fhir;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrlmCdsHooks.Api.Security;

/// <summary>
/// Validates the JWT a CDS client (EHR) sends with every call, as CDS Hooks 2.0 requires: signature against the
/// client's JWKS (or an allowed <c>jku</c>), algorithm in the allowlist, known <c>iss</c>, <c>aud</c> equal to the
/// endpoint called, <c>exp</c> and <c>iat</c> within the clock skew, <c>jti</c> never seen before, <c>tenant</c> where
/// configured. Runs inside the JwtBearer handler; any failure is a 401 that names no reason, logged with its reason,
/// never the token.
/// </summary>
internal sealed class CdsClientTokenValidator(IOptions<CdsHooksOptions> options, JwksCache jwks, IReplayCache replays,
    TimeProvider clock, CrlmTelemetry telemetry, IHostEnvironment environment, ILogger<CdsClientTokenValidator> logger)
{
    /// <summary>
    /// Where a newcomer whose EHR simulator signs its calls (the public CDS Hooks sandbox does) finds what to register;
    /// said in Development only, where such a refusal otherwise looks like "all clear" in the simulator.
    /// </summary>
    public const string UnknownIssuerHint = "register it under CdsHooks:Clients; for the public CDS Hooks sandbox see docs/integrating.md#the-public-cds-hooks-sandbox";

    /// <summary>Claim naming the authenticated client (its issuer).</summary>
    public const string ClientClaim = "cds_client";

    /// <summary>The authenticated client's issuer, or a fixed name for an unsigned Development caller.</summary>
    public static string ClientOf(ClaimsPrincipal caller) => caller.FindFirst(ClientClaim)?.Value ?? "unsigned-development-caller";

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task OnMessageReceivedAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            context.NoResult();
            return;
        }
        var (principal, failure) = await ValidateAsync(header, context.Request, context.HttpContext.RequestAborted);
        if (principal is null)
        {
            // The caller is not authenticated: what it sent is cut and cleaned before it reaches the log.
            Log.AuthenticationFailed(logger, PlainText.Clip(context.Request.Path, PlainText.LogValueLength), failure!.Code,
                PlainText.Clip(failure.Message, 3 * PlainText.LogValueLength));
            telemetry.AuthenticationFailed(failure.Code);
            context.Fail(failure.Message);
            return;
        }
        context.Principal = principal;
        context.Success();
    }

    /// <summary>Why a token was refused: a short code for metrics and a sentence for the log.</summary>
    private sealed record Failure(string Code, string Message);

    private async Task<(ClaimsPrincipal? Principal, Failure? Failure)> ValidateAsync(string header, HttpRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return (null, new("not-bearer", "the Authorization header is not a Bearer token"));
        var raw = header["Bearer ".Length..].Trim();
        if (!Handler.CanReadToken(raw))
            return (null, new("malformed", "the token is not a JWT"));
        JsonWebToken token;
        try
        {
            token = Handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return (null, new("malformed", "the token is not a readable JWT"));
        }

        if (!settings.Algorithms.Contains(token.Alg, StringComparer.Ordinal))
            return (null, new("algorithm", $"algorithm '{PlainText.Clip(token.Alg, PlainText.LogValueLength)}' is not allowed"));
        var client = settings.Clients.FirstOrDefault(c => c.Issuer == token.Issuer);
        if (client is null)
            return (null, new("issuer", $"unknown issuer '{PlainText.Clip(token.Issuer, PlainText.LogValueLength)}'"
                + (environment.IsDevelopment() ? $"; {UnknownIssuerHint}" : "")));

        var keysUrl = client.JwksUri;
        if (token.TryGetHeaderValue<string>("jku", out var jku))
        {
            if (!client.AllowedJku.Contains(jku, StringComparer.Ordinal))
                return (null, new("jku", $"jku '{PlainText.Clip(jku, PlainText.LogValueLength)}' is not allowed for issuer '{client.Issuer}'"));
            keysUrl = jku;
        }
        IReadOnlyList<SecurityKey> keys;
        try
        {
            keys = await jwks.GetKeysAsync(new Uri(keysUrl), token.Kid, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or System.Text.Json.JsonException)
        {
            return (null, new("keys-unavailable", $"the signing keys of '{client.Issuer}' could not be read ({e.GetType().Name})"));
        }

        var audience = ExpectedAudience(request, settings);
        // The token read above, not its text: reading it again cost a second parse per request.
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = client.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = settings.Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = settings.ClockSkew,
            TryAllIssuerSigningKeys = token.Kid is null,
        });
        if (!result.IsValid)
            return (null, result.Exception switch
            {
                SecurityTokenInvalidAudienceException => new("audience", $"audience is not '{audience}'"),
                SecurityTokenExpiredException => new("expired", "the token has expired"),
                SecurityTokenNoExpirationException => new("expired", "the token has no exp"),
                SecurityTokenNotYetValidException => new("not-yet-valid", "the token is not yet valid"),
                SecurityTokenSignatureKeyNotFoundException => new("signature", "no signing key of the issuer matches"),
                SecurityTokenInvalidSignatureException => new("signature", "the signature is invalid"),
                { } e => new("invalid", $"the token is invalid ({e.GetType().Name})"),
                null => new("invalid", "the token is invalid"),
            });

        var now = clock.GetUtcNow();
        if (!token.TryGetPayloadValue<long>("iat", out var iat))
            return (null, new("iat", "the token has no iat"));
        if (DateTimeOffset.FromUnixTimeSeconds(iat) > now + settings.ClockSkew)
            return (null, new("iat", "the token was issued in the future (iat)"));
        if (string.IsNullOrEmpty(token.Id))
            return (null, new("jti", "the token has no jti"));
        if (client.Tenants.Count > 0 && !(token.TryGetPayloadValue<string>("tenant", out var tenant) && client.Tenants.Contains(tenant, StringComparer.Ordinal)))
            return (null, new("tenant", "the tenant is not one configured for the issuer"));
        if (!await replays.TryRecordAsync(client.Issuer, token.Id, token.ValidTo + settings.ClockSkew))
            return (null, new("replay", "the token was already used (jti replay)"));

        var identity = result.ClaimsIdentity;
        identity.AddClaim(new Claim(ClientClaim, client.Issuer));
        return (new ClaimsPrincipal(identity), null);
    }

    /// <summary>The URL the client must have called: the public base URL (or this request's own, in Development) plus the path.</summary>
    public static string ExpectedAudience(HttpRequest request, CdsHooksOptions settings) =>
        settings.BaseUrlFor(request) + request.Path;
}
