using System.Net;
using CrlmCdsHooks.Api.Fhir;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Api.Security;

/// <summary>
/// Until CDS client authentication exists, the service runs only in Development and answers unsigned
/// requests only from loopback addresses, so it cannot leak patient data to the network.
/// </summary>
internal static class DevelopmentLoopbackAccess
{
    public static WebApplication UseDevelopmentLoopbackAccess(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            throw new InvalidOperationException(
                $"CrlmCdsHooks cannot run in the '{app.Environment.EnvironmentName}' environment yet: client authentication is not implemented. Run with ASPNETCORE_ENVIRONMENT=Development (loopback only).");

        Log.DevelopmentLoopbackMode(app.Logger);
        app.Use(async (context, next) =>
        {
            if (context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
            {
                await next(context);
                return;
            }
            Log.RefusedNonLoopback(app.Logger, context.Connection.RemoteIpAddress);
            await Outcomes.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Security,
                "This service runs in Development mode and answers requests from loopback addresses only.").ExecuteAsync(context);
        });
        return app;
    }
}
