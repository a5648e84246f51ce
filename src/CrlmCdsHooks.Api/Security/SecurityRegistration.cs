using System.Net;
using System.Threading.RateLimiting;
using CrlmCdsHooks.Fhir;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace CrlmCdsHooks.Api.Security;

/// <summary>Authentication of CDS clients, authorization, CORS, rate limits, body size and request timeouts.</summary>
internal static class SecurityRegistration
{
    public const string CdsClientPolicy = "cds-client";
    public const string CorsPolicy = "cds-clients";

    public static WebApplicationBuilder AddCdsHooksSecurity(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(CdsHooksOptions.Section);
        var settings = section.Get<CdsHooksOptions>() ?? new CdsHooksOptions();
        var isDevelopment = builder.Environment.IsDevelopment();
        settings.Validate(isDevelopment);

        var services = builder.Services;
        services.Configure<CdsHooksOptions>(section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<JwksCache>();
        services.AddSingleton<ReplayCache>();
        services.AddSingleton<CdsClientTokenValidator>();
        services.AddSingleton<FhirServerAllowlist>();
        services.AddHttpClient(JwksCache.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(5))
            .WithoutRedirects();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.IncludeErrorDetails = false; // a bare 401: the reason goes to the log, not to the caller
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = context => context.HttpContext.RequestServices.GetRequiredService<CdsClientTokenValidator>().OnMessageReceivedAsync(context),
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(CdsClientPolicy, policy => policy.RequireAssertion(context =>
            context.User.HasClaim(c => c.Type == CdsClientTokenValidator.ClientClaim)
            || (isDevelopment && context.Resource is HttpContext http && IsUnsignedLoopback(http))));

        services.AddRateLimiter(limits =>
        {
            limits.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.FindFirst(CdsClientTokenValidator.ClientClaim)?.Value ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.RateLimitBurst,
                    TokensPerPeriod = settings.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
        });
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. settings.CorsOrigins])
            .WithMethods("GET", "POST")
            .WithHeaders("Authorization", "Content-Type")));
        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new() { Timeout = settings.RequestTimeout });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);
        return builder;
    }

    public static WebApplication UseCdsHooksSecurity(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
            Log.DevelopmentLoopbackMode(app.Logger);
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>An unsigned request from this machine: what a newcomer's curl sends in Development.</summary>
    private static bool IsUnsignedLoopback(HttpContext http) =>
        http.Request.Headers.Authorization.Count == 0
        && http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
