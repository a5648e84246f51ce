using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

// The framework's floor for the benchmark, and the EHR's side of its signed runs:
//   Baseline keys DIR                              writes an ES384 and an RS384 key pair and their public JWKS
//   Baseline mint ALG COUNT ISSUER AUDIENCE DIR    prints COUNT signed tokens, each with its own jti, as an EHR sends them
//   Baseline [--urls …]                            reads and discards the request body, as the hook does, then answers
//                                                  the same number of bytes, precomputed; with BASELINE_JWKS set it first
//                                                  verifies the request's token with those keys, as the service does.
switch (args)
{
    case ["keys", var directory]:
        WriteKeys(directory);
        return;
    case ["mint", var algorithm, var count, var issuer, var audience, var directory]:
        Mint(algorithm, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), issuer, audience, directory);
        return;
}

var size = int.Parse(Environment.GetEnvironmentVariable("BASELINE_RESPONSE_BYTES") ?? "4096", System.Globalization.CultureInfo.InvariantCulture);
var body = Encoding.UTF8.GetBytes("{\"cards\":[\"" + new string('x', Math.Max(0, size - 14)) + "\"]}");
var verification = Environment.GetEnvironmentVariable("BASELINE_JWKS") is { } jwks
    ? new TokenValidationParameters
    {
        IssuerSigningKeys = new JsonWebKeySet(File.ReadAllText(jwks)).GetSigningKeys(),
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
    }
    : null;
var tokens = new JsonWebTokenHandler();

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/cds-services/{id}", async (HttpContext context) =>
{
    if (verification is not null)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var result = await tokens.ValidateTokenAsync(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "", verification);
        if (!result.IsValid)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
    }
    await context.Request.Body.CopyToAsync(Stream.Null);
    context.Response.ContentType = "application/json";
    await context.Response.Body.WriteAsync(body);
});
app.Run();

static void WriteKeys(string directory)
{
    using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    using var rsa = RSA.Create(2048);
    File.WriteAllText(Path.Combine(directory, "ES384.pem"), ec.ExportPkcs8PrivateKeyPem());
    File.WriteAllText(Path.Combine(directory, "RS384.pem"), rsa.ExportPkcs8PrivateKeyPem());
    var keys = new[]
    {
        JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ec) { KeyId = "ES384" }),
        JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "RS384" }),
    };
    File.WriteAllText(Path.Combine(directory, "jwks.json"), JsonSerializer.Serialize(new
    {
        keys = keys.Select(k => k.Kty == "EC"
            ? (object)new { k.Kty, k.Kid, k.Crv, k.X, k.Y, use = "sig", alg = "ES384" }
            : new { k.Kty, k.Kid, k.N, k.E, use = "sig", alg = "RS384" }),
    }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
}

static void Mint(string algorithm, int count, string issuer, string audience, string directory)
{
    var pem = File.ReadAllText(Path.Combine(directory, $"{algorithm}.pem"));
    SecurityKey key = algorithm == "ES384" ? new ECDsaSecurityKey(ECDsaFrom(pem)) { KeyId = algorithm } : new RsaSecurityKey(RsaFrom(pem)) { KeyId = algorithm };
    var credentials = new SigningCredentials(key, algorithm == "ES384" ? SecurityAlgorithms.EcdsaSha384 : SecurityAlgorithms.RsaSha384);
    var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
    var now = DateTime.UtcNow;
    var lines = new string[count];
    Parallel.For(0, count, i => lines[i] = handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        IssuedAt = now,
        NotBefore = now,
        Expires = now.AddMinutes(5),
        Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString() },
        SigningCredentials = credentials,
    }));
    using var output = new StreamWriter(Console.OpenStandardOutput());
    foreach (var line in lines)
        output.WriteLine(line);
}

static ECDsa ECDsaFrom(string pem)
{
    var key = ECDsa.Create();
    key.ImportFromPem(pem);
    return key;
}

static RSA RsaFrom(string pem)
{
    var key = RSA.Create();
    key.ImportFromPem(pem);
    return key;
}
