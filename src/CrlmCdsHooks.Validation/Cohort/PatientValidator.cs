using System.Text.Json;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;
using CrlmCdsHooks.Validation.Statistics;

namespace CrlmCdsHooks.Validation.Cohort;

/// <summary>
/// Runs the hook's own mapping and engine on one patient of an export, as of the recurrence date, and reads the outcome.
/// <list type="number">
/// <item>The whole record is mapped once to find the first liver recurrence after the index hepatectomy (the timeline rules of SPEC 7.2–7.3).</item>
/// <item>The patient is then assessed, exactly as the hook does (<see cref="FhirPatientAssessor"/>), on the resources
/// dated up to the recurrence date plus the engine's size window (<see cref="Findings.SizeWindowDays"/> days: the imaging
/// and staging of the recurrence), and on undated ones. What happened later (a second recurrence, later extrahepatic
/// disease, later tests) was not known when the treatment was decided and is not used.</item>
/// <item>The outcome: death (<c>Patient.deceasedDateTime</c>), else censoring at the latest date of any resource;
/// follow-up starts at the recurrence date.</item>
/// </list>
/// </summary>
public sealed class PatientValidator(ClinicalFactsMapper mapper, FhirPatientAssessor assessor)
{
    /// <summary>A liver resection or ablation up to this many days after the recurrence is its local treatment (the definition).</summary>
    public const int LocalTreatmentWindowDays = 90;

    /// <summary>The hook's mapping and engine with the shipped terminology and model, built without dependency injection.</summary>
    public static PatientValidator Default()
    {
        var mapper = new ClinicalFactsMapper(Terminology.Default);
        return new PatientValidator(mapper, new FhirPatientAssessor(mapper, new CrlmAssessor(ModelDefinition.Liu2021)));
    }

    /// <summary>The model the engine applies.</summary>
    public ModelDefinition Model => assessor.Model;

    /// <summary>Validates one patient from the export lines (NDJSON, one resource each) that refer to them.</summary>
    public CohortPatient Validate(string patientId, IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        var (resources, patient, readProblems) = Parse(lines);
        var whole = mapper.Map(resources);
        var recurrence = RecurrenceTimeline.From(whole).Recurrence;
        var known = recurrence is null ? resources : KnownBy(resources, recurrence.Date.AddDays(Findings.SizeWindowDays));
        var assessment = assessor.Assess(known, readProblems);

        var exclusions = new List<Exclusion>();
        if (assessment.RiskGroup == RiskGroup.NoCrlm)
            exclusions.Add(Exclusion.NoCrlm);
        exclusions.AddRange(assessment.NotApplicableReasons.Select(Exclusion.NotApplicable));
        if (assessment.RiskGroup != RiskGroup.NotApplicable)
            exclusions.AddRange(assessment.Factors.Where(f => f.Present is null).Select(Exclusion.FactorUnknown));

        var start = assessment.Score is null ? null : assessment.Recurrence?.Date;
        var localTreatment = start is { } from && whole.LiverResections.Concat(whole.LiverAblations)
            .Any(t => t.Date >= from && t.Date.Value.DayNumber - from.DayNumber <= LocalTreatmentWindowDays);
        var outcome = start is { } followedFrom && exclusions.Count == 0 ? Outcome(followedFrom, patient, resources) : null;
        if (outcome is null && start is { } unfollowed && exclusions.Count == 0)
            exclusions.Add(OutcomeProblem(unfollowed, patient));

        return new CohortPatient(
            patientId,
            HasCrlm: assessment.RiskGroup != RiskGroup.NoCrlm,
            exclusions,
            assessment.RiskGroup,
            assessment.Score,
            assessment.Score + (localTreatment ? 0 : assessment.NoLocalTreatmentPoints),
            localTreatment,
            [.. assessment.Factors.Select(f => f.Present)],
            outcome,
            [.. assessment.Review.Select(r => r.Reason)]);
    }

    private static (List<SourcedResource> Resources, SourcedResource? Patient, List<string> ReadProblems) Parse(IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        var resources = new List<SourcedResource>();
        var problems = new List<string>();
        SourcedResource? patient = null;
        foreach (var line in lines)
        {
            // A JSON value of its own (not a pooled document): the resource is read again after this loop.
            var json = JsonSerializer.Deserialize<JsonElement>(line.Span);
            if (SourcedResource.Read(json, out var problem) is not { } resource)
            {
                problems.Add($"a line of the export that is not valid FHIR R4 ({problem}) was not read");
                continue;
            }
            if (resource.TypeName == "Patient")
                patient = resource;
            resources.Add(resource);
        }
        // Sorted by reference, as the hook's assessor does, so both passes read the record in the same order.
        resources.Sort((a, b) => string.CompareOrdinal(a.Reference, b.Reference));
        return (resources, patient, problems);
    }

    private static List<SourcedResource> KnownBy(List<SourcedResource> resources, DateOnly cutoff) =>
        [.. resources.Where(r => ResourceDates.Clinical(r) is not { } date || date <= cutoff)];

    /// <summary>Death, or censoring at the latest dated resource; null when neither gives a usable follow-up.</summary>
    private static SurvivalTime? Outcome(DateOnly start, SourcedResource? patient, List<SourcedResource> resources)
    {
        if (patient is not null && ResourceDates.Died(patient))
            return ResourceDates.Death(patient) is { } died && died >= start
                ? new SurvivalTime(died.DayNumber - start.DayNumber, Event: true)
                : null;
        var last = resources.Select(r => ResourceDates.Latest(r)).Where(d => d is not null).Max();
        return last is { } censored && censored > start ? new SurvivalTime(censored.DayNumber - start.DayNumber, Event: false) : null;
    }

    private static Exclusion OutcomeProblem(DateOnly start, SourcedResource? patient) =>
        patient is null || !ResourceDates.Died(patient) ? Exclusion.NoFollowUp
        : ResourceDates.Death(patient) is { } died && died < start ? Exclusion.DeathBeforeRecurrence
        : Exclusion.DeathDateUnknown;
}
