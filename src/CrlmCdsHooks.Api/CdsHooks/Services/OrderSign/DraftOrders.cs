using System.Text.Json;
using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>The local treatments of a liver recurrence the Liu 2021 model is about.</summary>
internal enum LiverTreatment
{
    Resection,
    Ablation,
}

/// <summary>
/// Reads <c>context.draftOrders</c> of an <c>order-sign</c> request: the liver resections and ablations being signed.
/// An order is a <c>ServiceRequest</c> with status <c>draft</c> whose code is in the liver resection or liver ablation
/// value set (a site's own codes included, through the <c>Terminology</c> configuration); entries with another status
/// are not being signed and are passed over, as are orders of other kinds. A Bundle that cannot be read, an entry with
/// no readable resource, an order with no status or subject, or an order for another patient is refused: the card
/// would be about the wrong order or the wrong patient.
/// </summary>
internal static class DraftOrders
{
    public const string ContextKey = "draftOrders";

    // FHIR R4's required binding of ServiceRequest.status.
    private static readonly HashSet<string> RequestStatuses = ["draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"];

    /// <returns>The treatments being ordered (empty when none is a liver resection or ablation), or why the Bundle is refused.</returns>
    public static (IReadOnlySet<LiverTreatment>? Ordered, string? Error) Read(JsonElement context, string patientId, Terminology terminology)
    {
        if (!context.TryGetProperty(ContextKey, out var json) || json.ValueKind != JsonValueKind.Object)
            return (null, $"order-sign needs 'context.{ContextKey}', a FHIR Bundle of the orders being signed.");
        var read = SourcedResource.Read(json, out var problem);
        if (read is not { TypeName: "Bundle" } bundle)
            return (null, $"'context.{ContextKey}' must be a readable FHIR Bundle: {problem ?? $"it is a {read!.TypeName}"}.");
        if (!bundle.Resource.Json.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            return (null, $"'context.{ContextKey}' must be a readable FHIR Bundle: its 'entry' is not a list of entries.");

        var ordered = new HashSet<LiverTreatment>();
        var position = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            position++;
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("resource", out var orderJson))
                return (null, $"'context.{ContextKey}' entry {position} holds no FHIR resource.");
            if (SourcedResource.Read(orderJson, out var unreadable) is not { } order)
                return (null, $"'context.{ContextKey}' entry {position} holds no readable FHIR resource: {unreadable}.");
            if (PatientReferences.PatientIdOf(order) is not { } subject)
                return (null, $"'context.{ContextKey}' entry {position} ({order.TypeName}) names no patient as its subject.");
            if (subject != patientId)
                return (null, $"'context.{ContextKey}' entry {position} ({order.TypeName}) is an order for another patient than context.patientId.");
            if (order.TypeName != "ServiceRequest")
                continue;
            if (FhirJson.ValueOrDefault(() => order.Resource.Code("status", RequestStatuses)) is not { } status)
                return (null, $"'context.{ContextKey}' entry {position} (ServiceRequest) has no readable status.");
            if (status != "draft")
                continue;
            var code = FhirJson.ValueOrDefault(() => order.Resource.Node("code"));
            if (FhirJson.ValueOrDefault(() => terminology.LiverResection.Matches(code)))
                ordered.Add(LiverTreatment.Resection);
            else if (FhirJson.ValueOrDefault(() => terminology.LiverAblation.Matches(code)))
                ordered.Add(LiverTreatment.Ablation);
        }
        return (ordered, null);
    }
}
