using CrlmCdsHooks.Api.Fhir;
using CrlmCdsHooks.Api.Security;
using CrlmCdsHooks.Fhir;
using Microsoft.Extensions.Options;

namespace CrlmCdsHooks.Api.Assessments;

/// <summary>
/// The engine over HTTP: a Bundle of one patient's resources in, the whole assessment (or the MDT view's context) out.
/// Stores nothing.
/// </summary>
internal static class AssessmentEndpoints
{
    public const string Path = "/api/assessments";
    /// <summary>The MDT view's context of the same Bundle: read from the record, never scored.</summary>
    public const string ContextPath = Path + "/mdt-context"; // under Path: the same rate limit and concurrency ceiling

    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder app)
    {
        // Content types are checked by JsonBody, so a wrong one gets an OperationOutcome like every other refusal.
        app.MapPost(Path, AssessAsync);
        app.MapPost(ContextPath, ContextAsync);
        return app;
    }

    private const string AssumeParameter = "assume";

    private static async Task<IResult> AssessAsync(HttpRequest request, FhirPatientAssessor assessor, IOptions<CdsHooksOptions> settings,
        CancellationToken cancellationToken)
    {
        var (assumptions, assumptionError) = ReadAssumptions(request.Query[AssumeParameter], assessor.FactorIds);
        if (assumptionError is not null)
            return Outcomes.BadRequest(assumptionError);
        return await WithPatientBundleAsync(request, settings.Value, (resources, skipped) =>
            TypedResults.Ok(assessor.Assess(resources, [.. skipped.Select(entry => $"Parts of the Bundle were invalid and skipped: {entry}")], assumptions)),
            cancellationToken);
    }

    private static Task<IResult> ContextAsync(HttpRequest request, MdtContextReader reader, IOptions<CdsHooksOptions> settings,
        CancellationToken cancellationToken) =>
        WithPatientBundleAsync(request, settings.Value, (resources, skipped) =>
        {
            var context = reader.Read(resources);
            return TypedResults.Ok(context with { Warnings = [.. skipped.Select(entry => $"Part of the Bundle was invalid and left out: {entry}"), .. context.Warnings] });
        }, cancellationToken);

    /// <summary>
    /// Reads the body as a FHIR R4 Bundle of one patient's resources and answers with <paramref name="answer"/>; a body
    /// that is not one gets a 400, 413 or 415 with an OperationOutcome. Unreadable entries are skipped and passed on.
    /// </summary>
    private static async Task<IResult> WithPatientBundleAsync(HttpRequest request, CdsHooksOptions settings,
        Func<List<SourcedResource>, List<string>, IResult> answer, CancellationToken cancellationToken)
    {
        var (document, error) = await JsonBody.ReadAsync(request, cancellationToken);
        if (error is not null)
            return error;
        using var _ = document;
        if (Outcomes.TooManyEntries("The Bundle", document!.RootElement, settings.MaxBundleEntries) is { } tooMany)
            return tooMany;
        if (SourcedResource.Read(document!.RootElement, out var problem) is not { TypeName: "Bundle" } bundle)
            return Outcomes.BadRequest(problem is null ? "The body must be a FHIR R4 Bundle." : $"The body is not a readable FHIR R4 Bundle: {problem}");
        var skipped = new List<string>();
        List<SourcedResource> resources;
        try
        {
            resources = SearchBundle.Entries(bundle.Resource, skipped);
        }
        catch (InvalidFhirElementException e)
        {
            return Outcomes.BadRequest($"The body is not a readable FHIR R4 Bundle: {e.Message}");
        }
        var patients = resources.Select(PatientReferences.PatientIdOf).OfType<string>().Distinct().ToList();
        if (patients.Count > 1)
            return Outcomes.BadRequest($"The Bundle must hold one patient's resources; it refers to {patients.Count} patients.");
        return answer(resources, skipped);
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
