using System.Globalization;
using System.Text;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;

namespace CrlmCdsHooks.Api.Governance;

/// <summary>
/// The governance report over the audit store: <c>GET /api/governance/report</c> (JSON, or CSV with
/// <c>format=csv</c>) and its page at <c>/governance</c>. The page itself holds no data; the report needs a bearer
/// token of the configured provider with the configured role (or, in Development, an unsigned loopback call).
/// </summary>
internal static class GovernanceEndpoints
{
    public const string ReportPath = "/api/governance/report";
    public const string PagePath = "/governance";
    public const string Policy = "governance";
    public const string Scheme = "governance";
    private const string ApiPrefix = "/api/governance";

    public static WebApplicationBuilder AddGovernance(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GovernanceOptions.Section);
        var settings = section.Get<GovernanceOptions>() ?? new GovernanceOptions();
        settings.Validate();
        var isDevelopment = builder.Environment.IsDevelopment();
        var services = builder.Services;
        // The report reads the audit store: with the audit off there is nothing to report (and no route).
        if (services.Any(service => service.ServiceType == typeof(IDbContextFactory<AuditDbContext>)))
            services.AddSingleton<GovernanceReport>();
        if (settings.Authority is not null)
        {
            services.AddAuthentication().AddJwtBearer(Scheme, jwt =>
            {
                jwt.Authority = settings.Authority;
                jwt.Audience = settings.Audience;
                jwt.RequireHttpsMetadata = new Uri(settings.Authority).Scheme == Uri.UriSchemeHttps;
                jwt.MapInboundClaims = false;
                jwt.IncludeErrorDetails = false;
                jwt.Events = new JwtBearerEvents
                {
                    OnChallenge = context =>
                    {
                        context.HandleResponse();
                        return Outcomes.Error(StatusCodes.Status401Unauthorized, OperationOutcome.IssueType.Login,
                            $"The governance report needs a bearer token from {settings.Authority} with the role '{settings.Role}'.").ExecuteAsync(context.HttpContext);
                    },
                    OnForbidden = context => Outcomes.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                        $"The token does not carry the role '{settings.Role}' the governance report requires.").ExecuteAsync(context.HttpContext),
                };
            });
            // The CDS client scheme (the default) hands governance calls to this one, so a staff token is never read as an EHR's.
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, cds =>
                cds.ForwardDefaultSelector = http => http.Request.Path.StartsWithSegments(ApiPrefix) ? Scheme : null);
        }
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy =>
        {
            if (settings.Authority is not null)
                policy.AddAuthenticationSchemes(Scheme);
            policy.RequireAssertion(context =>
                (settings.Authority is not null && context.User.HasClaim(settings.RoleClaim, settings.Role))
                || (isDevelopment && context.Resource is HttpContext http && SecurityRegistration.IsUnsignedLoopback(http)));
        });
        return builder;
    }

    public static WebApplication MapGovernance(this WebApplication app)
    {
        if (!app.Services.AuditEnabled())
            return app;
        app.MapGet(ReportPath, ReportAsync).RequireAuthorization(Policy).WithTags("Governance")
            .WithSummary("What the service advised and what clinicians did with it: cards per risk group and month, outcomes, override reasons, data needing review. Filters: from, to (yyyy-MM-dd, UTC, inclusive), modelVersion; format=csv for a spreadsheet.");
        app.MapGet(PagePath, (IWebHostEnvironment env, HttpResponse response) =>
        {
            response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            return Results.File(Path.Combine(env.WebRootPath ?? "", "governance", "index.html"), "text/html; charset=utf-8");
        }).WithTags("Governance").WithSummary("The governance report's page with charts (its data needs the report's access)");
        return app;
    }

    private static async Task<IResult> ReportAsync(HttpRequest request, GovernanceReport report, AuditStoreState store, CancellationToken cancellationToken)
    {
        var (filter, fault) = ReadFilter(request.Query);
        if (filter is null)
            return Outcomes.BadRequest(fault!);
        if (!store.Migrated.IsCompleted)
            return Outcomes.Error(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
                "The audit store is not ready yet (its tables are being created, or the database cannot be reached); try again shortly.");
        var body = await report.BuildAsync(filter, cancellationToken);
        return request.Query["format"] == "csv"
            ? Results.Text(Csv(body), "text/csv; charset=utf-8")
            : TypedResults.Ok(body);
    }

    private static (ReportFilter? Filter, string? Fault) ReadFilter(IQueryCollection query)
    {
        DateOnly? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateOnly>)[] { ("from", d => from = d), ("to", d => to = d) })
        {
            var value = query[name].ToString();
            if (value.Length == 0)
                continue;
            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return (null, $"'{name}' must be a date as yyyy-MM-dd, not '{PlainText.Clip(value, PlainText.LogValueLength)}'.");
            set(date);
        }
        if (from > to)
            return (null, $"'from' ({from:yyyy-MM-dd}) is after 'to' ({to:yyyy-MM-dd}).");
        var version = query["modelVersion"].ToString();
        if (version.Length > 32)
            return (null, "'modelVersion' is longer than any model version.");
        var format = query["format"].ToString();
        if (format is not ("" or "json" or "csv"))
            return (null, $"'format' must be 'json' or 'csv', not '{PlainText.Clip(format, PlainText.LogValueLength)}'.");
        return (new ReportFilter(from, to, version.Length == 0 ? null : version), null);
    }

    /// <summary>One long table (section, month, risk group, item, count) that a spreadsheet pivots as it likes.</summary>
    private static string Csv(GovernanceReportBody body)
    {
        var csv = new StringBuilder("section,month,risk_group,item,count\n");
        void Row(string section, string month, string group, string item, int count) =>
            csv.Append(CultureInfo.InvariantCulture, $"{section},{month},{group},{Cell(item)},{count}\n");
        Row("total", "", "", "cards", body.Cards);
        Row("total", "", "", "feedback", body.Feedback);
        Row("total", "", "", "orphaned-feedback", body.OrphanedFeedback);
        Row("total", "", "", "cards-needing-review", body.CardsNeedingReview);
        foreach (var month in body.CardsByMonth)
        {
            Row("cards", month.Month, month.RiskGroup, "cards", month.Cards);
            Row("cards", month.Month, month.RiskGroup, "needing-review", month.NeedingReview);
        }
        foreach (var outcome in body.OutcomesByRiskGroup)
        {
            Row("outcomes", "", outcome.RiskGroup, "accepted", outcome.Accepted);
            Row("outcomes", "", outcome.RiskGroup, "overridden", outcome.Overridden);
        }
        foreach (var reason in body.OverrideReasons)
            Row("override-reasons", "", "", reason.Display, reason.Count);
        return csv.ToString();
    }

    // Quoted, and a leading formula character defused, so a spreadsheet shows the text and never runs it.
    private static string Cell(string text) =>
        "\"" + (text.Length > 0 && "=+-@".Contains(text[0]) ? "'" + text : text).Replace("\"", "\"\"") + "\"";
}
