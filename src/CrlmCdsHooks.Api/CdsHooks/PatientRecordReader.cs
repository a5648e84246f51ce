using System.Diagnostics;
using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Observability;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>The patient's record as one hook could read it.</summary>
/// <param name="Warnings">What could not be read, for the clinician and the log.</param>
/// <param name="Unreadable">Prefetch keys read neither from prefetch nor from the FHIR server: the card says the assessment is incomplete.</param>
/// <param name="FhirMs">Time spent reading the FHIR server; 0 when prefetch held everything.</param>
internal sealed record PatientRecord(IReadOnlyList<SourcedResource> Resources, IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Unreadable, double FhirMs);

/// <summary>
/// Prefetch gap-filling, shared by every service: prefetch first, then the EHR's FHIR server for exactly the keys prefetch
/// lacks, within the hook's deadline, with a token that has not expired and only for the resource types its scopes
/// cover. Answers 403 for a FHIR server not registered for the client, 412 when nothing usable can be read, and 400 when
/// the data belong to another patient.
/// </summary>
internal sealed class PatientRecordReader(FhirDataReader reader, FhirServerAllowlist allowlist, IOptions<FhirDataOptions> options,
    CrlmTelemetry telemetry, ILogger<PatientRecordReader> logger)
{
    public async Task<(PatientRecord? Record, IResult? Error)> ReadAsync(HookCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        if (request.FhirServer is not null && !allowlist.IsAllowed(call.Caller, request.FhirServer))
        {
            Log.FhirServerRefused(logger, request.HookInstance, CdsClientTokenValidator.ClientOf(call.Caller), request.FhirServer.GetLeftPart(UriPartial.Authority));
            return (null, Outcomes.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
                $"fhirServer '{request.FhirServer}' is not registered for this client; the service reads only the FHIR servers configured for it."));
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
                return (null, Outcomes.Error(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Incomplete,
                    $"Prefetch '{string.Join("', '", unreadable)}' is missing or not available, and the request names no fhirServer to read it from. Send the prefetch templates of GET /cds-services, or fhirServer and fhirAuthorization.{string.Concat(prefetch.PartialSearches.Select(p => " " + p))}"));
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
                warnings.AddRange(result.Skipped.Select(skipped => $"'{result.Key}' was read in part from the EHR's FHIR server: {skipped}."));
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
            return (null, Outcomes.BadRequest($"Resources belong to another patient than context.patientId: {string.Join(", ", otherPatients)}."));

        // Without the conditions nothing tells whether this is a CRLM patient at all: no card can be honest.
        if (unreadable.Contains(PrefetchQueries.ConditionsKey))
            return (null, Outcomes.Error(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Incomplete,
                $"Nothing usable could be read: {string.Join(" ", warnings)}"));

        return (new PatientRecord(resources, warnings, unreadable, fhirMs), null);
    }
}
