using CrlmCdsHooks.Api.Fhir;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Api.Smart;

/// <summary>
/// The SMART App Launch 2.x web app: its two pages (launch and assessment), its bundled assets from <c>wwwroot/smart</c>
/// (built from src/CrlmCdsHooks.SmartApp at build time), its public configuration, and a strict Content-Security-Policy.
/// The app's FHIR token stays in the browser: the backend only ever receives the Bundle it assesses.
/// </summary>
internal static class SmartAppEndpoints
{
    public const string LaunchPath = "/smart/launch";
    public const string AppPath = "/smart/app";
    /// <summary>What the card's link asks the app to open; it names a view, never the patient.</summary>
    public const string AssessmentAppContext = """{"view":"assessment"}""";
    private const string PathPrefix = "/smart";

    public static WebApplicationBuilder AddSmartApp(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SmartAppOptions.Section);
        (section.Get<SmartAppOptions>() ?? new SmartAppOptions()).Validate();
        builder.Services.Configure<SmartAppOptions>(section);
        builder.Services.AddSingleton<SmartAppPolicy>();
        return builder;
    }

    public static WebApplication MapSmartApp(this WebApplication app)
    {
        var policy = app.Services.GetRequiredService<SmartAppPolicy>();
        app.UseWhen(http => http.Request.Path.StartsWithSegments(PathPrefix), branch => branch.Use((http, next) =>
        {
            policy.AddHeaders(http.Response.Headers);
            return next(http);
        }));
        app.UseStaticFiles();

        app.MapGet(LaunchPath, (IWebHostEnvironment env) => Page(env, "launch.html")).WithTags("SMART app")
            .WithSummary("SMART launch URL: EHR launch (iss, launch) or standalone launch (iss)");
        app.MapGet(AppPath, (IWebHostEnvironment env) => Page(env, "index.html")).WithTags("SMART app")
            .WithSummary("SMART redirect URL: the full assessment");
        app.MapGet($"{PathPrefix}/config.json", () => TypedResults.Ok(policy.PublicConfiguration))
            .WithTags("SMART app")
            .WithSummary("The app's client id, scopes, allowed issuers and FHIR queries (public, no patient data)");
        return app;
    }

    private static IResult Page(IWebHostEnvironment env, string file)
    {
        var path = Path.Combine(env.WebRootPath ?? "", "smart", file);
        return File.Exists(path)
            ? Results.File(path, "text/html; charset=utf-8")
            : Outcomes.Error(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.NotSupported,
                "The SMART app was not built into this deployment (wwwroot/smart is missing): build it with `npm ci && npm run build` in src/CrlmCdsHooks.SmartApp, or build the service with Node.js installed.");
    }
}
