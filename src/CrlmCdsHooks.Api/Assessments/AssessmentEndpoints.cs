using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Assessments;

/// <summary>The engine over HTTP: a Bundle of one patient's resources in, the whole assessment out. Stores nothing.</summary>
internal static class AssessmentEndpoints
{
    public const string Path = "/api/assessments";

    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder app)
    {
        // Content types are checked by JsonBody, so a wrong one gets an OperationOutcome like every other refusal.
        app.MapPost(Path, AssessAsync);
        return app;
    }

    private const string AssumeParameter = "assume";

    private static async Task<IResult> AssessAsync(HttpRequest request, FhirPatientAssessor assessor, IOptions<CdsHooksOptions> settings,
        CancellationToken cancellationToken)
    {
        var (assumptions, assumptionError) = ReadAssumptions(request.Query[AssumeParameter], assessor.FactorIds);
        if (assumptionError is not null)
            return Outcomes.BadRequest(assumptionError);
        var (document, error) = await JsonBody.ReadAsync(request, cancellationToken);
        if (error is not null)
            return error;
        using var _ = document;
        if (Outcomes.TooManyEntries("The Bundle", document!.RootElement, settings.Value.MaxBundleEntries) is { } tooMany)
            return tooMany;
        if (FhirJson.TryParse(document!.RootElement, out var problem) is not Bundle bundle)
            return Outcomes.BadRequest(problem is null ? "The body must be a FHIR R4 Bundle." : $"The body is not a readable FHIR R4 Bundle: {problem}");

        var resources = SourcedResource.FromBundle(bundle).ToList();
        var patients = resources.Select(r => PatientReferences.PatientIdOf(r.Resource)).OfType<string>().Distinct().ToList();
        if (patients.Count > 1)
            return Outcomes.BadRequest($"The Bundle must hold one patient's resources; it refers to {patients.Count} patients.");

        string[] warnings = problem is null ? [] : [$"Parts of the Bundle were invalid and skipped: {problem}"];
        return TypedResults.Ok(assessor.Assess(resources, warnings, assumptions));
    }

    /// <summary>Reads <c>assume=factorId:present|absent</c> values; each factor at most once.</summary>
    private static (Dictionary<string, bool>? Assumptions, string? Error) ReadAssumptions(IEnumerable<string?> values, IReadOnlyList<string> factorIds)
    {
        var assumptions = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var parts = value?.Split(':') ?? [];
            if (parts is not [var id, var state] || !factorIds.Contains(id) || state is not ("present" or "absent"))
                return (null, $"'{AssumeParameter}={PlainText.Clip(value, PlainText.LogValueLength)}' is not understood: use {AssumeParameter}={{factor}}:present or :absent, with factor one of {string.Join(", ", factorIds)}.");
            if (!assumptions.TryAdd(id, state == "present"))
                return (null, $"Factor '{id}' is assumed more than once.");
        }
        return (assumptions.Count == 0 ? null : assumptions, null);
    }
}
