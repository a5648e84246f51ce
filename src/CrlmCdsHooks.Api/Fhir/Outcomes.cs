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

    /// <summary>413 for a Bundle with more entries than configured (<c>CdsHooks:MaxBundleEntries</c>).</summary>
    public static IResult TooManyEntries(string bundle, int entries, int max) =>
        Error(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooCostly,
            $"{bundle} holds {entries:#,0} entries; this service reads at most {max:#,0} per Bundle (CdsHooks:MaxBundleEntries).");

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message);
}
