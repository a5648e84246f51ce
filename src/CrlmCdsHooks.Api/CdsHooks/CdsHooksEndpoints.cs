using System.Text.Json;
using CrlmCdsHooks.Api.Feedback;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>The CDS Hooks 2.0 surface: discovery and the <c>patient-view</c> service.</summary>
internal static class CdsHooksEndpoints
{
    public const string ServiceId = "crlm-recurrence-liu2021";
    public const string Hook = "patient-view";

    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cds-services").WithTags("CDS Hooks")
            .RequireAuthorization(SecurityRegistration.CdsClientPolicy)
            .RequireCors(SecurityRegistration.CorsPolicy);
        group.MapGet("", (PrefetchQueries queries) => TypedResults.Json(Discovery(queries), CdsJson.Options))
            .WithSummary("CDS Hooks discovery");
        group.MapPost("/{id}", HandleAsync)
            .WithSummary("patient-view: assess recurrent colorectal liver metastases and answer with a card");
        group.MapPost("/{id}/feedback", FeedbackAsync)
            .WithSummary("CDS Hooks feedback on the cards: validated as a batch, counted, and kept in the audit store");
        return app;
    }

    private static DiscoveryResponse Discovery(PrefetchQueries queries) => new(
    [
        new ServiceDescriptor(Hook,
            "Recurrent colorectal liver metastases: risk group and local treatment (Liu 2021)",
            "For a patient whose colorectal liver metastases recurred after hepatectomy: the Liu 2021 risk group (points reconstructed from published hazard ratios) and whether repeat resection, ablation, or systemic therapy first is suggested, with Fong and Kobayashi scores beside it.",
            ServiceId,
            queries.Templates(),
            "Reads Condition, Observation and Procedure resources of the patient in context. Decision support for the MDT; it does not replace it."),
    ]);

    /// <summary>The JSON body of a call to one of this server's services, or the 404, 415 or 400 answer.</summary>
    private static async Task<(JsonDocument? Document, IResult? Error)> ReadServiceCallAsync(string id, HttpRequest httpRequest, CancellationToken cancellationToken) =>
        id == ServiceId
            ? await JsonBody.ReadAsync(httpRequest, cancellationToken)
            : (null, Outcomes.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No CDS service '{PlainText.Clip(id, PlainText.LogValueLength)}'. This server offers '{ServiceId}'."));

    private static async Task<IResult> FeedbackAsync(string id, HttpRequest httpRequest, FeedbackHandler feedback, CancellationToken cancellationToken)
    {
        var (document, error) = await ReadServiceCallAsync(id, httpRequest, cancellationToken);
        if (error is not null)
            return error;
        using var _ = document;
        return feedback.Handle(ServiceId, document!.RootElement, httpRequest.HttpContext.User);
    }

    private static async Task<IResult> HandleAsync(string id, HttpRequest httpRequest, PatientViewHandler handler,
        IOptions<CdsHooksOptions> settings, CancellationToken cancellationToken)
    {
        var (document, error) = await ReadServiceCallAsync(id, httpRequest, cancellationToken);
        if (error is not null)
            return error;
        using var _ = document;
        var (request, requestError) = HookRequest.Read(document!.RootElement);
        if (request is null)
            return Outcomes.BadRequest(requestError!);
        if (request.Hook != Hook)
            return Outcomes.BadRequest($"Service '{ServiceId}' answers the '{Hook}' hook, not '{PlainText.Clip(request.Hook, PlainText.LogValueLength)}'.");
        foreach (var (key, slot) in request.Prefetch)
            if (Outcomes.TooManyEntries($"Prefetch '{PlainText.Clip(key, PlainText.LogValueLength)}'", slot, settings.Value.MaxBundleEntries) is { } tooMany)
                return tooMany;
        return await handler.HandleAsync(request, httpRequest.HttpContext.User,
            CardContext.For(request.PatientId, httpRequest, settings.Value), cancellationToken);
    }
}
