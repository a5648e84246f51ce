using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using Microsoft.IdentityModel.Tokens;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// The security settings the README describes, each on a service configured for the test: the per-client token
/// bucket, the configurations refused at start-up, and key rotation through the JWKS.
/// </summary>
public class SecuritySettingsTests(SecurityFixture security) : IClassFixture<SecurityFixture>
{
    private const string IssuerC = "https://ehr-c.example.org";

    [Fact]
    public async Task A_client_beyond_its_token_bucket_is_429_with_retry_after_and_an_operation_outcome_while_another_client_is_served()
    {
        using var service = new SecuredService(security.Settings(("CdsHooks:RateLimitPerSecond", "1"), ("CdsHooks:RateLimitBurst", "2")));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"), "Bearer " + security.TokenA());
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
            else
                response.Dispose();
        }

        using var otherClient = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"), "Bearer " + security.TokenB());

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], statuses.Take(2));
        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal("throttled", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["issue"]![0]!["code"]!);
        }
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    public static TheoryData<string, string, string> UnsafeSettings => new()
    {
        { "CdsHooks:AllowedAlgorithms:0", "none", "AllowedAlgorithms may not contain 'none'" },
        { "CdsHooks:AllowedAlgorithms:0", "HS256", "AllowedAlgorithms may not contain 'HS256'" },
        { "CdsHooks:AllowedAlgorithms:1", "HS384", "AllowedAlgorithms may not contain 'HS384'" },
        { "CdsHooks:Clients:0:JwksUri", "http://ehr-a.example.org/jwks.json", "Clients:0:JwksUri 'http://ehr-a.example.org/jwks.json' must be an absolute https URL" },
        { "CdsHooks:Clients:0:AllowedJku:0", "http://ehr-a.example.org/jku.json", "Clients:0:AllowedJku 'http://ehr-a.example.org/jku.json' must be an absolute https URL" },
        { "CdsHooks:Clients:1:FhirServers:0", "http://ehr-b.example.org/fhir", "Clients:1:FhirServers 'http://ehr-b.example.org/fhir' must be an absolute https URL" },
    };

    [Theory]
    [MemberData(nameof(UnsafeSettings))]
    public void A_configuration_that_would_weaken_security_refuses_to_start_and_says_which_setting(string key, string value, string message)
    {
        var settings = security.Settings(("CdsHooks:AllowedAlgorithms:0", "ES384"), (key, value));

        var error = Assert.Throws<InvalidOperationException>(() => new SecuredService(settings).Dispose());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_a_rotated_in_key_is_accepted_once_the_refresh_interval_has_passed()
    {
        using var oldKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var service = new SecuredService(security.Settings(
            ("CdsHooks:JwksRefreshInterval", "00:00:01"),
            ("CdsHooks:Clients:2:Issuer", IssuerC),
            ("CdsHooks:Clients:2:JwksUri", $"{security.JwksBase}/rotating.json")));
        security.RotatingJwks = SecurityFixture.Jwks(SecurityFixture.EcJwk(oldKey, "c-old", "P-384", "ES384"));
        using var before = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"), "Bearer " + TokenC(oldKey, "c-old"));
        var fetchesBefore = security.JwksRequests.Count(r => r == "rotating");

        security.RotatingJwks = SecurityFixture.Jwks(
            SecurityFixture.EcJwk(oldKey, "c-old", "P-384", "ES384"), SecurityFixture.EcJwk(newKey, "c-new", "P-384", "ES384"));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var after = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-low-risk"), "Bearer " + TokenC(newKey, "c-new"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(fetchesBefore + 1, security.JwksRequests.Count(r => r == "rotating"));
    }

    private static string TokenC(ECDsa key, string keyId) =>
        SecurityFixture.Sign(SecurityFixture.Descriptor(IssuerC, new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha384, tenant: null));
}
