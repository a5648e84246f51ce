using System.Text.Json;
using CrlmCdsHooks.Api.Feedback;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// The CDS Hooks 2.0 surface: discovery of the registered services, and each service's hook and feedback endpoints,
/// routed by id. Checks common to every service happen here; the service answers the hook.
/// </summary>
internal static class CdsHooksEndpoints
{
    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cds-services").WithTags("CDS Hooks")
            .RequireAuthorization(SecurityRegistration.CdsClientPolicy)
            .RequireCors(SecurityRegistration.CorsPolicy);
        group.MapGet("", (CdsServiceRegistry registry) => TypedResults.Json(registry.Discovery(), CdsJson.Options))
            .WithSummary("CDS Hooks discovery");
        group.MapPost("/{id}", HandleAsync)
            .WithSummary("Call a service: patient-view (risk group and local treatment) or order-sign (a liver resection or ablation being signed)");
        group.MapPost("/{id}/feedback", FeedbackAsync)
            .WithSummary("CDS Hooks feedback on the cards: validated as a batch, counted, and kept in the audit store");
        return app;
    }

    /// <summary>The service and the JSON body of a call to it, or the 404, 415 or 400 answer.</summary>
    private static async Task<(ICdsService? Service, JsonDocument? Document, IResult? Error)> ReadServiceCallAsync(string id,
        CdsServiceRegistry registry, HttpRequest httpRequest, CancellationToken cancellationToken)
    {
        if (registry.Find(id) is not { } service)
            return (null, null, Outcomes.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                $"No CDS service '{PlainText.Clip(id, PlainText.LogValueLength)}'. This server offers '{string.Join("', '", registry.Services.Select(s => s.Descriptor.Id))}'."));
        var (document, error) = await JsonBody.ReadAsync(httpRequest, cancellationToken);
        return (service, document, error);
    }

    private static async Task<IResult> FeedbackAsync(string id, CdsServiceRegistry registry, HttpRequest httpRequest,
        FeedbackHandler feedback, CancellationToken cancellationToken)
    {
        var (service, document, error) = await ReadServiceCallAsync(id, registry, httpRequest, cancellationToken);
        if (error is not null)
            return error;
        using var _ = document;
        return feedback.Handle(service!.Descriptor.Id, document!.RootElement, httpRequest.HttpContext.User);
    }

    private static async Task<IResult> HandleAsync(string id, CdsServiceRegistry registry, HttpRequest httpRequest,
        IOptions<CdsHooksOptions> settings, CancellationToken cancellationToken)
    {
        var (service, document, error) = await ReadServiceCallAsync(id, registry, httpRequest, cancellationToken);
        if (error is not null)
            return error;
        using var _ = document;
        var (request, requestError) = HookRequest.Read(document!.RootElement);
        if (request is null)
            return Outcomes.BadRequest(requestError!);
        var descriptor = service!.Descriptor;
        if (request.Hook != descriptor.Hook)
            return Outcomes.BadRequest($"Service '{descriptor.Id}' answers the '{descriptor.Hook}' hook, not '{PlainText.Clip(request.Hook, PlainText.LogValueLength)}'.");
        foreach (var (key, slot) in request.Prefetch)
            if (Outcomes.TooManyEntries($"Prefetch '{PlainText.Clip(key, PlainText.LogValueLength)}'", slot, settings.Value.MaxBundleEntries) is { } tooMany)
                return tooMany;
        var cards = CardContext.For(request.PatientId, httpRequest, settings.Value);
        return await service.HandleAsync(new HookCall(request, httpRequest.HttpContext.User, cards), cancellationToken);
    }
}
