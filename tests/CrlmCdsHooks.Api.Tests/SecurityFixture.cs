using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.TestData;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using CrlmCdsHooks.Api.Tests.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>
/// The service in the Production environment with two registered EHRs, a JWKS server on loopback publishing their
/// public keys (ES384 for A, RS384 for B), a real FHIR server behind a counting proxy, and a token minter.
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://cds.example.org";
    public const string IssuerA = "https://ehr-a.example.org";
    public const string IssuerB = "https://ehr-b.example.org";
    public const string Tenant = "tenant-a";
    public const string ServiceAudience = PublicBaseUrl + ServiceHost.HookPath;

    public ECDsa KeyA { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    public ECDsa JkuKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    public ECDsa AttackerKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    public ECDsa P256Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public RSA KeyB { get; } = RSA.Create(3072);

    private readonly FhirServerFixture _fhir = new();
    private WebApplication? _jwksServer;
    private readonly ConcurrentQueue<string> _jwksRequests = new();

    public SecuredService Service { get; private set; } = null!;
    public FaultProxy Fhir { get; private set; } = null!;
    public FaultProxy OtherHost { get; private set; } = null!;
    public FaultProxy Redirecting { get; private set; } = null!;
    public string JwksBase { get; private set; } = "";
    public IReadOnlyCollection<string> JwksRequests => _jwksRequests;

    public async Task InitializeAsync()
    {
        await _fhir.InitializeAsync();
        Fhir = await FaultProxy.StartAsync(_fhir.BaseUrl, (_, _) => null);
        OtherHost = await FaultProxy.StartAsync(_fhir.BaseUrl, (_, _) => null);
        Redirecting = await FaultProxy.StartAsync(_fhir.BaseUrl, (request, _) => context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = new Uri(OtherHost.BaseUrl, request.Path.Value!.TrimStart('/') + request.QueryString).ToString();
            return Task.CompletedTask;
        });
        await StartJwksServerAsync();
        Service = new SecuredService(Settings());
    }

    /// <summary>The fixture service's configuration, with changes for a service of a test's own.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:PublicBaseUrl"] = PublicBaseUrl,
            ["CdsHooks:MaxRequestBodyBytes"] = "262144",
            ["CdsHooks:CorsOrigins:0"] = "https://ehr-simulator.example.org",
            ["CdsHooks:Clients:0:Issuer"] = IssuerA,
            ["CdsHooks:Clients:0:JwksUri"] = $"{JwksBase}/a.json",
            ["CdsHooks:Clients:0:AllowedJku:0"] = $"{JwksBase}/jku-allowed.json",
            ["CdsHooks:Clients:0:Tenants:0"] = Tenant,
            ["CdsHooks:Clients:0:FhirServers:0"] = Fhir.BaseUrl.ToString(),
            ["CdsHooks:Clients:0:FhirServers:1"] = Redirecting.BaseUrl.ToString(),
            ["CdsHooks:Clients:1:Issuer"] = IssuerB,
            ["CdsHooks:Clients:1:JwksUri"] = $"{JwksBase}/b.json",
            ["CdsHooks:Clients:1:FhirServers:0"] = Fhir.BaseUrl.ToString(),
        };
        foreach (var (key, value) in changes)
            settings[key] = value;
        return settings;
    }

    public async Task DisposeAsync()
    {
        Service.Dispose();
        await Fhir.DisposeAsync();
        await OtherHost.DisposeAsync();
        await Redirecting.DisposeAsync();
        if (_jwksServer is not null)
            await _jwksServer.DisposeAsync();
        await _fhir.DisposeAsync();
        foreach (var key in new IDisposable[] { KeyA, JkuKey, AttackerKey, P256Key, KeyB })
            key.Dispose();
    }

    /// <summary>A hook request without prefetch: once authenticated, the service would read the FHIR server.</summary>
    public string HookWithoutPrefetch(Uri? fhirServer = null, string example = "crlm-high-risk")
    {
        var hook = Examples.HookJson(example);
        hook.Remove("prefetch");
        hook["fhirServer"] = (fhirServer ?? Fhir.BaseUrl).ToString().TrimEnd('/');
        hook["fhirAuthorization"] = JsonNode.Parse("""{"access_token":"ehr-token","token_type":"Bearer","expires_in":300,"scope":"patient/*.read","subject":"crlm"}""");
        return hook.ToJsonString();
    }

    /// <summary>A valid ES384 token of client A for the service endpoint, with changes for a test.</summary>
    public string TokenA(Action<SecurityTokenDescriptor>? change = null) =>
        Sign(Descriptor(IssuerA, new ECDsaSecurityKey(KeyA) { KeyId = "a-1" }, SecurityAlgorithms.EcdsaSha384, tenant: Tenant), change);

    /// <summary>A valid RS384 token of client B.</summary>
    public string TokenB(Action<SecurityTokenDescriptor>? change = null) =>
        Sign(Descriptor(IssuerB, new RsaSecurityKey(KeyB) { KeyId = "b-1" }, SecurityAlgorithms.RsaSha384, tenant: null), change);

    public static SecurityTokenDescriptor Descriptor(string issuer, SecurityKey key, string algorithm, string? tenant)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString() };
        if (tenant is not null)
            claims["tenant"] = tenant;
        return new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = ServiceAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, algorithm),
        };
    }

    public static string Sign(SecurityTokenDescriptor descriptor, Action<SecurityTokenDescriptor>? change = null)
    {
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned or HMAC token built by hand, as an attacker would.</summary>
    public static string Forge(string headerJson, string payloadJson, byte[]? hmacKey, string hmacAlgorithm = "HS256")
    {
        var signingInput = $"{Base64UrlEncoder.Encode(headerJson)}.{Base64UrlEncoder.Encode(payloadJson)}";
        if (hmacKey is null)
            return signingInput + ".";
        using HMAC hmac = hmacAlgorithm == "HS384" ? new HMACSHA384(hmacKey) : new HMACSHA256(hmacKey);
        return $"{signingInput}.{Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(signingInput)))}";
    }

    public static string ValidPayload(string issuer) =>
        $$"""{"iss":"{{issuer}}","aud":"{{ServiceAudience}}","iat":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}},"jti":"{{Guid.NewGuid()}}","tenant":"{{Tenant}}"}""";

    public string PublicJwks(string name) => name switch
    {
        "a" => Jwks(EcJwk(KeyA, "a-1", "P-384", "ES384")),
        "b" => Jwks(RsaJwk(KeyB, "b-1")),
        "jku-allowed" => Jwks(EcJwk(JkuKey, "jku-1", "P-384", "ES384")),
        "jku-attacker" => Jwks(EcJwk(AttackerKey, "evil-1", "P-384", "ES384")),
        "rotating" => RotatingJwks,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>What <c>{JwksBase}/rotating.json</c> publishes: a test rotating an EHR's keys sets it.</summary>
    public string RotatingJwks { get; set; } = Jwks();

    public static string Jwks(params string[] keys) => $$"""{"keys":[{{string.Join(",", keys)}}]}""";

    public static string EcJwk(ECDsa key, string kid, string curve, string alg)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return $$"""{"kty":"EC","crv":"{{curve}}","x":"{{Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y)}}","kid":"{{kid}}","alg":"{{alg}}","use":"sig"}""";
    }

    private static string RsaJwk(RSA key, string kid)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return $$"""{"kty":"RSA","n":"{{Base64UrlEncoder.Encode(p.Modulus)}}","e":"{{Base64UrlEncoder.Encode(p.Exponent)}}","kid":"{{kid}}","alg":"RS384","use":"sig"}""";
    }

    private async Task StartJwksServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _jwksServer = builder.Build();
        _jwksServer.MapGet("/{name}.json", (string name) =>
        {
            _jwksRequests.Enqueue(name);
            return Results.Content(PublicJwks(name), "application/json");
        });
        await _jwksServer.StartAsync();
        JwksBase = _jwksServer.Urls.Single().TrimEnd('/');
    }
}

/// <summary>The real service on Kestrel with the given configuration, in the Production environment unless told otherwise.</summary>
public sealed class SecuredService : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    public SecuredService(Dictionary<string, string?> settings, string environment = "Production")
    {
        _settings = settings;
        _environment = environment;
        UseKestrel(0);
        StartServer();
        ServiceHost.WaitForWarmUp(Services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment).UseTemporaryAuditStore().ConfigureLogging(logging => logging.AddProvider(Logs));
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }

    /// <summary>Every log line the service wrote.</summary>
    public LogRecorder Logs { get; } = new();

    /// <summary>Where the service listens (its internal address, not the public base URL).</summary>
    public Uri Address
    {
        get
        {
            using var client = CreateClient();
            return client.BaseAddress!;
        }
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var client = CreateClient();
        return JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)))!;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string body, string? bearer, string contentType = "application/json")
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (bearer is not null)
            request.Headers.TryAddWithoutValidation("Authorization", bearer);
        return await client.SendAsync(request);
    }
}
