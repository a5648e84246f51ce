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

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message);
}
