using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// The <c>order-sign</c> service: when a liver resection or ablation is being signed, the same assessment as
/// <c>patient-view</c>, answered for that decision (<see cref="OrderSignCards"/>). Orders of anything else get no card
/// and cost no read of the record.
/// </summary>
internal sealed class OrderSignHandler(FhirPatientAssessor assessor, PatientRecordReader records, PrefetchQueries queries,
    Terminology terminology, IOptions<CdsHooksOptions> settings, CrlmTelemetry telemetry, IAuditRecorder audit, ILogger<OrderSignHandler> logger) : ICdsService
{
    public const string ServiceId = "crlm-local-treatment-liu2021";

    public ServiceDescriptor Descriptor { get; } = new("order-sign",
        "Recurrent colorectal liver metastases: check a repeat liver resection or ablation against the Liu 2021 risk group",
        "When a liver resection or liver ablation is signed for a patient at a first liver recurrence of colorectal liver metastases: the Liu 2021 risk group (points reconstructed from published hazard ratios); for the high-risk group, where local treatment showed no significant survival benefit, a suggestion to request a multidisciplinary team review; for an ablation of a lesion over 30 mm, the paper's practice.",
        ServiceId,
        queries.Templates(),
        "Reads the draft orders being signed and the Condition, Observation and Procedure resources of the patient in context. Decision support for the MDT; it does not replace it.");

    public async Task<IResult> HandleAsync(HookCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        using var observation = HookObservation.Start(call, Descriptor, telemetry, audit, logger);
        if (request.Context.TryGetProperty(DraftOrders.ContextKey, out var draftOrders)
            && Outcomes.TooManyEntries($"'context.{DraftOrders.ContextKey}'", draftOrders, settings.Value.MaxBundleEntries) is { } tooMany)
            return tooMany;
        var (ordered, orderError) = DraftOrders.Read(request.Context, request.PatientId, terminology);
        if (ordered is null)
            return Outcomes.BadRequest(orderError!);
        if (ordered.Count == 0)
        {
            var client = CdsClientTokenValidator.ClientOf(call.Caller);
            Log.NoLiverTreatmentOrdered(logger, request.HookInstance, client, ServiceId);
            return TypedResults.Json(new CardsResponse([]), CdsJson.Options);
        }

        var (record, error) = await records.ReadAsync(call, cancellationToken);
        if (record is null)
            return error!;
        var assessment = assessor.Assess(record.Resources, record.Warnings);
        var cards = OrderSignCards.For(assessment, assessor.Model.Wording, ordered, record.Unreadable, call.Cards);
        return observation.Answered(assessment, cards, record);
    }
}
