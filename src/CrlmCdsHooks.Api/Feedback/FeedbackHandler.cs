using System.Security.Claims;
using System.Text.Json;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Api.Security;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Feedback;

/// <summary>
/// CDS Hooks feedback: validated as a whole batch (400 naming each bad item, nothing kept), counted as metrics, and
/// kept in the audit store beside the cards it is about.
/// </summary>
internal sealed class FeedbackHandler(IAuditRecorder audit, CrlmTelemetry telemetry, TimeProvider clock, IOptions<CdsHooksOptions> options,
    ILogger<FeedbackHandler> logger)
{
    public IResult Handle(string service, JsonElement body, ClaimsPrincipal caller)
    {
        var client = CdsClientTokenValidator.ClientOf(caller);
        var (records, faults) = FeedbackReader.Read(body, IsOverrideReason, client, clock.GetUtcNow().UtcDateTime);
        if (faults.Count > 0)
        {
            Log.FeedbackRefused(logger, service, client, faults[0]);
            return Outcomes.BadRequest($"Nothing of this feedback was kept. {string.Join(" ", faults)}");
        }
        foreach (var record in records)
            telemetry.FeedbackReceived(record.Outcome, record.OverrideReasonCode);
        audit.Record(records);
        Log.FeedbackReceived(logger, service, client, records.Count);
        return TypedResults.Ok();
    }

    /// <summary>A reason the cards offer (<c>CdsHooks:OverrideReasons</c>): the same for every card of this service.</summary>
    private bool IsOverrideReason(string system, string code) =>
        options.Value.EffectiveOverrideReasons.Any(reason => reason.System == system && reason.Code == code);
}
