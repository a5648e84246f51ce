using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;

// One namespace for the whole CDS Hooks feature; the folders group each service's files.
namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// The <c>patient-view</c> service: when a chart opens, the patient's record (prefetch, then the FHIR server for what it
/// lacks) is mapped, scored and answered with one card, or none for a patient with no CRLM on record.
/// </summary>
internal sealed class PatientViewHandler(FhirPatientAssessor assessor, PatientRecordReader records, PrefetchQueries queries,
    CrlmTelemetry telemetry, IAuditRecorder audit, ILogger<PatientViewHandler> logger) : ICdsService
{
    public const string ServiceId = "crlm-recurrence-liu2021";

    public ServiceDescriptor Descriptor { get; } = new("patient-view",
        "Recurrent colorectal liver metastases: risk group and local treatment (Liu 2021)",
        "For a patient whose colorectal liver metastases recurred after hepatectomy: the Liu 2021 risk group (points reconstructed from published hazard ratios) and whether repeat resection, ablation, or systemic therapy first is suggested, with Fong and Kobayashi scores beside it.",
        ServiceId,
        queries.Templates(),
        "Reads Condition, Observation and Procedure resources of the patient in context. Decision support for the MDT; it does not replace it.");

    public async Task<IResult> HandleAsync(HookCall call, CancellationToken cancellationToken)
    {
        using var observation = HookObservation.Start(call, Descriptor, telemetry, audit, logger);
        var (record, error) = await records.ReadAsync(call, cancellationToken);
        if (record is null)
            return error!;

        var assessment = assessor.Assess(record.Resources, record.Warnings);
        var wording = assessor.Model.Wording;
        Card? card = assessment.RiskGroup == RiskGroup.NoCrlm ? null
            : record.Unreadable.Count > 0 ? CardBuilder.Incomplete(assessment, wording, record.Unreadable, call.Cards)
            : CardBuilder.For(assessment, wording, call.Cards);
        return observation.Answered(assessment, card is null ? [] : [card], record);
    }
}
