using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using CrlmCdsHooks.Api.Assessments;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using StackExchange.Redis;

namespace CrlmCdsHooks.Api.Security;

/// <summary>Authentication of CDS clients, authorization, CORS, rate limits, body size and request timeouts.</summary>
internal static class SecurityRegistration
{
    public const string CdsClientPolicy = "cds-client";
    public const string CorsPolicy = "cds-clients";
    /// <summary><c>ConnectionStrings:Redis</c>: shared replay detection and rate limits for more than one instance.</summary>
    public const string RedisConnectionName = "Redis";

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
        var redis = builder.Configuration.GetConnectionString(RedisConnectionName);
        var shared = !string.IsNullOrWhiteSpace(redis);
        if (shared)
        {
            var redisOptions = ConfigurationOptions.Parse(redis!);
            redisOptions.AbortOnConnectFail = false; // start, and reconnect, while Redis is away
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
            services.AddSingleton<IReplayCache, RedisReplayCache>();
        }
        else
            services.AddSingleton<IReplayCache, InMemoryReplayCache>();
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
                // Refusals are OperationOutcomes like every other; the reason stays in the log (see IncludeErrorDetails).
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    context.Response.Headers.WWWAuthenticate = JwtBearerDefaults.AuthenticationScheme;
                    await Outcomes.Error(StatusCodes.Status401Unauthorized, OperationOutcome.IssueType.Login,
                        "A CDS Hooks client JWT signed by a registered EHR is required (Authorization: Bearer). The service's log says why this one was refused.").ExecuteAsync(context.HttpContext);
                },
                OnForbidden = context => Outcomes.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                    "This client may not call this endpoint.").ExecuteAsync(context.HttpContext),
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(CdsClientPolicy, policy => policy.RequireAssertion(context =>
            context.User.HasClaim(c => c.Type == CdsClientTokenValidator.ClientClaim)
            || (isDevelopment && context.Resource is HttpContext http && IsUnsignedLoopback(http))));

        services.AddRateLimiter(limits =>
        {
            limits.OnRejected = (context, cancellationToken) => RefuseAsync(context, cancellationToken);
            limits.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                // First in the chain: with Redis, one budget per client across every instance (see RedisTokenBucket).
                PartitionedRateLimiter.Create<HttpContext, string>(http => ClientBudget(http, shared, settings)),
                // The open assessment endpoint: a budget per address, and a ceiling on the CPU all callers may take at once.
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsAssessment(http)
                    ? RateLimitPartition.GetTokenBucketLimiter(AddressOf(http), _ => Bucket(settings.AssessmentRateLimitPerSecond, settings.AssessmentRateLimitBurst))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsAssessment(http)
                    ? RateLimitPartition.GetConcurrencyLimiter("assessments", _ => Concurrency(settings.AssessmentConcurrency))
                    : RateLimitPartition.GetNoLimiter("")));
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
        if (app.Services.GetService<IConnectionMultiplexer>() is null)
            Log.SingleInstance(app.Logger);
        else
            Log.SharedStateInRedis(app.Logger);
        if (app.Environment.IsDevelopment())
            Log.DevelopmentLoopbackMode(app.Logger);
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();
        return app;
    }

    private static RateLimitPartition<string> ClientBudget(HttpContext http, bool shared, CdsHooksOptions settings)
    {
        var partition = http.User.FindFirst(CdsClientTokenValidator.ClientClaim)?.Value ?? AddressOf(http);
        return shared
            ? RateLimitPartition.Get(partition, key => new RedisTokenBucket(http.RequestServices.GetRequiredService<IConnectionMultiplexer>(), key,
                settings.RateLimitPerSecond, settings.RateLimitBurst, http.RequestServices.GetRequiredService<TimeProvider>(),
                http.RequestServices.GetRequiredService<ILogger<RedisTokenBucket>>()))
            : RateLimitPartition.GetTokenBucketLimiter(partition, _ => Bucket(settings.RateLimitPerSecond, settings.RateLimitBurst));
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
    };

    private static ConcurrencyLimiterOptions Concurrency(int configured)
    {
        var permits = configured > 0 ? configured : Environment.ProcessorCount;
        return new() { PermitLimit = permits, QueueLimit = 4 * permits, QueueProcessingOrder = QueueProcessingOrder.OldestFirst };
    }

    private static bool IsAssessment(HttpContext http) => http.Request.Path.StartsWithSegments(AssessmentEndpoints.Path);

    private static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A 429 that says why and when to come back, as an OperationOutcome like every other refusal.</summary>
    private static async ValueTask RefuseAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Outcomes.Error(StatusCodes.Status429TooManyRequests, OperationOutcome.IssueType.Throttled,
            "Too many requests from this client or address; wait and try again (see Retry-After when given).").ExecuteAsync(context.HttpContext);
    }

    /// <summary>An unsigned request from this machine: what a newcomer's curl sends in Development.</summary>
    public static bool IsUnsignedLoopback(HttpContext http) =>
        http.Request.Headers.Authorization.Count == 0
        && http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
