using System.Diagnostics;
using System.Security.Claims;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// Answers one patient-view request: prefetch first, then the EHR's FHIR server for exactly the keys prefetch lacks,
/// within the hook's deadline; then mapping, scoring and the card.
/// </summary>
internal sealed class PatientViewHandler(FhirPatientAssessor assessor, FhirDataReader reader, FhirServerAllowlist allowlist,
    IOptions<FhirDataOptions> options, CrlmTelemetry telemetry, IAuditRecorder audit, ILogger<PatientViewHandler> logger)
{
    /// <param name="cardContext">What the card shares with every card of this answer (its links, icon, override reasons).</param>
    public async Task<IResult> HandleAsync(HookRequest request, ClaimsPrincipal caller, CardContext cardContext, CancellationToken cancellationToken)
    {
        using var activity = CrlmTelemetry.Source.StartActivity("patient-view");
        activity?.SetTag("cds.hook_instance", request.HookInstance);
        var started = Stopwatch.GetTimestamp();
        var client = CdsClientTokenValidator.ClientOf(caller);
        if (request.FhirServer is not null && !allowlist.IsAllowed(caller, request.FhirServer))
        {
            Log.FhirServerRefused(logger, request.HookInstance, client, request.FhirServer.GetLeftPart(UriPartial.Authority));
            return Outcomes.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                $"fhirServer '{request.FhirServer}' is not registered for this client; the service reads only the FHIR servers configured for it.");
        }

        var prefetch = PrefetchReader.Read(request);
        var resources = prefetch.Resources.ToList();
        var warnings = prefetch.Warnings.ToList();
        var unreadable = prefetch.Unavailable.ToList();
        var fhirMs = 0.0;

        if (unreadable.Count > 0)
        {
            if (request.FhirServer is null)
            {
                Log.PrefetchUnavailable(logger, request.HookInstance, unreadable);
                return Outcomes.Error(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Incomplete,
                    $"Prefetch '{string.Join("', '", unreadable)}' is missing or not available, and the request names no fhirServer to read it from. Send the prefetch templates of GET /cds-services, or fhirServer and fhirAuthorization.{string.Concat(prefetch.PartialSearches.Select(p => " " + p))}");
            }
            // A token that has expired, or whose scopes do not cover a query, is not tried: the card names what was not read.
            var token = request.FhirAccessToken;
            var notAllowed = token is null ? [] : unreadable.Where(key => token.Expired || !token.AllowsSearch(PrefetchQueries.ResourceTypeOf(key))).ToList();
            foreach (var key in notAllowed)
                warnings.Add(token!.Expired
                    ? $"'{key}' was not read: the access token the EHR sent had expired."
                    : $"'{key}' was not read: the access token the EHR sent does not allow reading {PrefetchQueries.ResourceTypeOf(key)} resources.");
            unreadable.RemoveAll(notAllowed.Contains);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.HookDeadline);
            var fetchStarted = Stopwatch.GetTimestamp();
            using var fetchActivity = CrlmTelemetry.Source.StartActivity("fhir-fetch");
            var fetched = await reader.ReadAsync(request.FhirServer, token?.Value, request.PatientId, unreadable, deadline.Token);
            unreadable.Clear();
            unreadable.AddRange(notAllowed);
            foreach (var result in fetched)
            {
                resources.AddRange(result.Resources);
                if (result.Failure is not null)
                {
                    unreadable.Add(result.Key);
                    warnings.Add($"'{result.Key}' could not be read from the EHR's FHIR server: {result.Failure}.");
                }
            }
            var requests = fetched.Sum(f => f.Requests);
            fhirMs = Stopwatch.GetElapsedTime(fetchStarted).TotalMilliseconds;
            telemetry.FhirFetched(requests, fhirMs);
            fetchActivity?.SetTag("fhir.requests", requests);
            Log.FhirFetched(logger, request.HookInstance, fetched.Count, requests, unreadable);
        }

        var otherPatients = PatientReferences.NotAbout(request.PatientId, resources);
        if (otherPatients.Count > 0)
            return Outcomes.BadRequest($"Resources belong to another patient than context.patientId: {string.Join(", ", otherPatients)}.");

        // Without the conditions nothing tells whether this is a CRLM patient at all: no card can be honest.
        if (unreadable.Contains(PrefetchQueries.ConditionsKey))
            return Outcomes.Error(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Incomplete,
                $"Nothing usable could be read: {string.Join(" ", warnings)}");

        var assessment = assessor.Assess(resources, warnings);
        var wording = assessor.Model.Wording;
        var card = assessment.RiskGroup == RiskGroup.NoCrlm ? null
            : unreadable.Count > 0 ? CardBuilder.Incomplete(assessment, wording, unreadable, cardContext)
            : CardBuilder.For(assessment, wording, cardContext);
        if (card is not null)
            audit.Record(Guid.Parse(card.Uuid), CdsHooksEndpoints.ServiceId, request.HookInstance, client, request.PatientId, assessment, complete: unreadable.Count == 0);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var cards = card is null ? 0 : 1;
        telemetry.HookAnswered(assessment.RiskGroup, complete: unreadable.Count == 0, elapsedMs);
        activity?.SetTag("crlm.risk_group", assessment.RiskGroup.ToString());
        Log.HookAnswered(logger, request.HookInstance, client, CdsHooksEndpoints.ServiceId, assessment.RiskGroup, cards, elapsedMs, fhirMs);
        return TypedResults.Json(new CardsResponse(card is null ? [] : [card]), CdsJson.Options);
    }
}
