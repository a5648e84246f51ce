using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using Microsoft.IdentityModel.Tokens;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// The CDS Hooks security model tested as an attacker would: every refused request gets its status and makes no
/// outbound FHIR request; genuine ES384 and RS384 clients get their cards.
/// </summary>
public class SecurityTests(SecurityFixture security) : IClassFixture<SecurityFixture>
{
    /// <summary>One attempt: the Authorization header, the body, its content type, and where it is sent.</summary>
    public sealed record Attempt(string? Authorization, string Body, string ContentType = "application/json", string Path = ServiceHost.HookPath);

    private static readonly Dictionary<string, (HttpStatusCode Status, Func<SecurityFixture, Attempt> Build)> Attacks = new()
    {
        ["unsigned request"] = (HttpStatusCode.Unauthorized, f => new(null, f.HookWithoutPrefetch())),
        ["not a JWT"] = (HttpStatusCode.Unauthorized, f => new("Bearer not-a-jwt", f.HookWithoutPrefetch())),
        ["Basic scheme"] = (HttpStatusCode.Unauthorized, f => new("Basic YWRtaW46YWRtaW4=", f.HookWithoutPrefetch())),
        ["alg none"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + SecurityFixture.Forge("""{"alg":"none","typ":"JWT"}""", SecurityFixture.ValidPayload(SecurityFixture.IssuerA), null), f.HookWithoutPrefetch())),
        ["HS256 signed with the public key"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + SecurityFixture.Forge("""{"alg":"HS256","typ":"JWT","kid":"a-1"}""", SecurityFixture.ValidPayload(SecurityFixture.IssuerA), Encoding.UTF8.GetBytes(f.PublicJwks("a"))), f.HookWithoutPrefetch())),
        ["HS384 signed with the public key"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + SecurityFixture.Forge("""{"alg":"HS384","typ":"JWT","kid":"a-1"}""", SecurityFixture.ValidPayload(SecurityFixture.IssuerA), Encoding.UTF8.GetBytes(f.PublicJwks("a")), "HS384"), f.HookWithoutPrefetch())),
        ["wrong key with the client's kid"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(f.AttackerKey) { KeyId = "a-1" }, SecurityAlgorithms.EcdsaSha384)), f.HookWithoutPrefetch())),
        ["unknown kid"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(f.AttackerKey) { KeyId = "unknown-kid" }, SecurityAlgorithms.EcdsaSha384)), f.HookWithoutPrefetch())),
        ["tampered payload"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + Tamper(f.TokenA()), f.HookWithoutPrefetch())),
        ["wrong aud"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Audience = "https://other-service.example.org/cds-services/crlm-recurrence-liu2021"), f.HookWithoutPrefetch())),
        ["missing aud"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Audience = null), f.HookWithoutPrefetch())),
        ["aud of another endpoint"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Audience = SecurityFixture.PublicBaseUrl + "/cds-services"), f.HookWithoutPrefetch())),
        ["aud of the internal address instead of the public one"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Audience = new Uri(f.Service.Address, ServiceHost.HookPath).ToString()), f.HookWithoutPrefetch())),
        ["expired"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => { d.IssuedAt = DateTime.UtcNow.AddMinutes(-20); d.NotBefore = d.IssuedAt; d.Expires = DateTime.UtcNow.AddMinutes(-10); }), f.HookWithoutPrefetch())),
        ["no exp"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Expires = null), f.HookWithoutPrefetch())),
        ["iat in the future"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => { d.IssuedAt = DateTime.UtcNow.AddMinutes(10); d.NotBefore = null; d.Expires = DateTime.UtcNow.AddMinutes(15); }), f.HookWithoutPrefetch())),
        ["no iat"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.IssuedAt = null), f.HookWithoutPrefetch())),
        ["no jti"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Claims.Remove("jti")), f.HookWithoutPrefetch())),
        ["unknown iss"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Issuer = "https://attacker.example.org"), f.HookWithoutPrefetch())),
        ["iss of client B signed with client A's key"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Issuer = SecurityFixture.IssuerB), f.HookWithoutPrefetch())),
        ["jku not allowed"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d =>
        {
            d.SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(f.AttackerKey) { KeyId = "evil-1" }, SecurityAlgorithms.EcdsaSha384);
            d.AdditionalHeaderClaims = new Dictionary<string, object> { ["jku"] = $"{f.JwksBase}/jku-attacker.json" };
        }), f.HookWithoutPrefetch())),
        ["wrong tenant"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Claims["tenant"] = "tenant-b"), f.HookWithoutPrefetch())),
        ["missing tenant"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.Claims.Remove("tenant")), f.HookWithoutPrefetch())),
        ["ES256, not in the allowlist"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenA(d => d.SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(f.P256Key) { KeyId = "a-1" }, SecurityAlgorithms.EcdsaSha256)), f.HookWithoutPrefetch())),
        ["RS256, not in the allowlist"] = (HttpStatusCode.Unauthorized, f => new("Bearer " + f.TokenB(d => d.SigningCredentials = new SigningCredentials(new RsaSecurityKey(f.KeyB) { KeyId = "b-1" }, SecurityAlgorithms.RsaSha256)), f.HookWithoutPrefetch())),
        ["unsigned discovery"] = (HttpStatusCode.Unauthorized, f => new(null, "", Path: "/cds-services")),
        ["unsigned feedback"] = (HttpStatusCode.Unauthorized, f => new(null, """{"feedback":[]}""", Path: ServiceHost.HookPath + "/feedback")),
        ["untrusted fhirServer"] = (HttpStatusCode.Forbidden, f => new("Bearer " + f.TokenA(), f.HookWithoutPrefetch(f.OtherHost.BaseUrl))),
        ["http fhirServer off loopback"] = (HttpStatusCode.Forbidden, f => new("Bearer " + f.TokenA(), f.HookWithoutPrefetch(new Uri("http://ehr-a.example.org/fhir")))),
        ["fhirServer of another client's registration only"] = (HttpStatusCode.Forbidden, f => new("Bearer " + f.TokenB(), f.HookWithoutPrefetch(f.Redirecting.BaseUrl))),
        ["oversized body"] = (HttpStatusCode.RequestEntityTooLarge, f => new("Bearer " + f.TokenA(), f.HookWithoutPrefetch()[..^1] + $$""","padding":"{{new string('x', 300_000)}}"}""")),
        ["deeply nested JSON"] = (HttpStatusCode.BadRequest, f => new("Bearer " + f.TokenA(), f.HookWithoutPrefetch()[..^1] + ",\"deep\":" + new string('[', 100) + new string(']', 100) + "}")),
        ["malformed JSON"] = (HttpStatusCode.BadRequest, f => new("Bearer " + f.TokenA(), "{\"hook\":")),
        ["wrong content type"] = (HttpStatusCode.UnsupportedMediaType, f => new("Bearer " + f.TokenA(), f.HookWithoutPrefetch(), "text/plain")),
        ["patient mismatch with prefetch"] = (HttpStatusCode.BadRequest, f => new("Bearer " + f.TokenA(), MismatchedPatient())),
    };

    public static TheoryData<string> AttackNames => new(Attacks.Keys);

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task A_refused_request_gets_its_status_and_no_fhir_request_is_made(string attack)
    {
        var (status, build) = Attacks[attack];
        var attempt = build(security);
        var fhirBefore = security.Fhir.Requests.Count + security.OtherHost.Requests.Count + security.Redirecting.Requests.Count;

        using var response = attempt.Path == "/cds-services" && attempt.Body.Length == 0
            ? await GetAsync(attempt)
            : await security.Service.PostAsync(attempt.Path, attempt.Body, attempt.Authorization, attempt.ContentType);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(fhirBefore, security.Fhir.Requests.Count + security.OtherHost.Requests.Count + security.Redirecting.Requests.Count);
        if (status == HttpStatusCode.Unauthorized)
        {
            // One OperationOutcome for every refusal: the reason goes to the log, never to the caller.
            var outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("OperationOutcome", (string)outcome["resourceType"]!);
            Assert.Equal("login", (string)outcome["issue"]![0]!["code"]!);
            Assert.Equal("A CDS Hooks client JWT signed by a registered EHR is required (Authorization: Bearer). The service's log says why this one was refused.",
                (string)outcome["issue"]![0]!["diagnostics"]!);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task A_genuine_es384_client_gets_its_card_read_from_its_fhir_server()
    {
        var before = security.Fhir.Requests.Count;

        using var response = await security.Service.PostAsync(ServiceHost.HookPath, security.HookWithoutPrefetch(), "Bearer " + security.TokenA());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]![0]!;
        Assert.StartsWith("High risk", (string)card["summary"]!, StringComparison.Ordinal);
        Assert.Equal(before + 3, security.Fhir.Requests.Count);
    }

    [Fact]
    public async Task A_genuine_rs384_client_gets_its_card()
    {
        using var response = await security.Service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"), "Bearer " + security.TokenB());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Low risk", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]![0]!["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_from_an_allowed_jku_is_accepted()
    {
        var token = security.TokenA(d =>
        {
            d.SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(security.JkuKey) { KeyId = "jku-1" }, SecurityAlgorithms.EcdsaSha384);
            d.AdditionalHeaderClaims = new Dictionary<string, object> { ["jku"] = $"{security.JwksBase}/jku-allowed.json" };
        });

        using var response = await security.Service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"), "Bearer " + token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_replayed_token_is_refused_the_second_time_without_reading_the_fhir_server()
    {
        var token = "Bearer " + security.TokenA();
        using var first = await security.Service.PostAsync(ServiceHost.HookPath, security.HookWithoutPrefetch(), token);
        var afterFirst = security.Fhir.Requests.Count;

        using var replay = await security.Service.PostAsync(ServiceHost.HookPath, security.HookWithoutPrefetch(), token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal(afterFirst, security.Fhir.Requests.Count);
    }

    [Fact]
    public async Task Discovery_needs_a_token_whose_audience_is_the_discovery_url()
    {
        using var client = security.Service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/cds-services", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + security.TokenA(d => d.Audience = SecurityFixture.PublicBaseUrl + "/cds-services"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_redirect_from_a_registered_fhir_server_to_another_host_is_not_followed()
    {
        using var response = await security.Service.PostAsync(ServiceHost.HookPath, security.HookWithoutPrefetch(security.Redirecting.BaseUrl), "Bearer " + security.TokenA());

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Empty(security.OtherHost.Requests);
        Assert.NotEmpty(security.Redirecting.Requests);
    }

    [Fact]
    public async Task Unknown_key_ids_refresh_the_jwks_at_most_once_per_interval()
    {
        var attacker = new SigningCredentials(new ECDsaSecurityKey(security.AttackerKey) { KeyId = "rotating-" + Guid.NewGuid() }, SecurityAlgorithms.EcdsaSha384);
        using (await security.Service.PostAsync(ServiceHost.HookPath, security.HookWithoutPrefetch(), "Bearer " + security.TokenA()))
        { }
        var fetchesBefore = security.JwksRequests.Count(r => r == "a");

        for (var i = 0; i < 5; i++)
            using (await security.Service.PostAsync(ServiceHost.HookPath, security.HookWithoutPrefetch(), "Bearer " + security.TokenA(d => d.SigningCredentials = attacker)))
            { }

        Assert.True(security.JwksRequests.Count(r => r == "a") - fetchesBefore <= 1);
    }

    [Fact]
    public async Task Cors_allows_the_configured_origin_with_the_authorization_header_and_no_other_origin()
    {
        using var client = security.Service.CreateClient();

        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(ServiceHost.HookPath, UriKind.Relative));
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return await client.SendAsync(preflight);
        }

        using var allowed = await PreflightAsync("https://ehr-simulator.example.org");
        using var refused = await PreflightAsync("https://attacker.example.org");

        Assert.Equal("https://ehr-simulator.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> GetAsync(Attempt attempt)
    {
        using var client = security.Service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(attempt.Path, UriKind.Relative));
        if (attempt.Authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", attempt.Authorization);
        return await client.SendAsync(request);
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["tenant"] = "tenant-a-admin";
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private static string MismatchedPatient()
    {
        var hook = Examples.HookJson("crlm-low-risk");
        hook["context"]!["patientId"] = "crlm-high-risk";
        return hook.ToJsonString();
    }
}
