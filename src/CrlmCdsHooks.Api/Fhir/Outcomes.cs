using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Api.Fhir;

/// <summary>Error answers as FHIR OperationOutcomes, so EHRs and integration tools can read why a request failed.</summary>
internal static class Outcomes
{
    public const string FhirJsonContentType = "application/fhir+json";

    public static IResult Error(int statusCode, OperationOutcome.IssueType type, string message) =>
        Results.Content(FhirJson.Serialize(new OperationOutcome
        {
            Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = type, Diagnostics = message }],
        }), FhirJsonContentType, statusCode: statusCode);

    /// <summary>413 when a Bundle's JSON holds more entries than configured (<c>CdsHooks:MaxBundleEntries</c>); otherwise null.</summary>
    /// <param name="bundle">The Bundle in words, for the message.</param>
    public static IResult? TooManyEntries(string bundle, System.Text.Json.JsonElement json, int max) =>
        FhirJson.EntryCount(json) is var entries && entries > max
            ? Error(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooCostly,
                $"{bundle} holds {entries:#,0} entries; this service reads at most {max:#,0} per Bundle (CdsHooks:MaxBundleEntries).")
            : null;

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message);
}
