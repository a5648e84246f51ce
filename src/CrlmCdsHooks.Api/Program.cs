using CrlmCdsHooks.Api;
using CrlmCdsHooks.Api.Assessments;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.CdsHooks;
using CrlmCdsHooks.Api.Governance;
using CrlmCdsHooks.Api.Http;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Api.OpenApi;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Api.Smart;

var builder = WebApplication.CreateBuilder(args);
builder.AddHttpProtection();
builder.AddCdsHooksSecurity();
builder.AddObservability();
builder.AddAudit();
builder.AddGovernance();
builder.AddSmartApp();
builder.Services.AddCrlmAssessment(builder.Configuration);

var app = builder.Build();
app.UseHttpProtection();
app.UseCdsHooksSecurity();
app.MapHealth();
app.MapOpenApiDocument();
app.MapCdsHooks();
app.MapAssessments();
app.MapSmartApp();
app.MapGovernance();
app.MapGet("/", () => TypedResults.Ok(new
{
    service = "CrlmCdsHooks: recurrent colorectal liver metastases decision support",
    discovery = "/cds-services",
    openApi = OpenApiEndpoints.Path,
    smartAppLaunch = SmartAppEndpoints.LaunchPath,
    governance = GovernanceEndpoints.PagePath,
}));
app.Run();

/// <summary>Entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
