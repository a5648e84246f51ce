namespace CrlmCdsHooks.Fhir;

/// <summary>
/// The FHIR queries the service needs for one patient, keyed as CDS Hooks prefetch keys, in the <c>Patient/{id}</c>
/// reference form every server supports. Conditions and Procedures are read whole (SPEC 7.7 needs the malignant
/// conditions the service cannot classify, 7.4 every liver procedure); Observations are filtered by code, system-free,
/// so a code sent under an OID or a second URI is found too, and the request line stays short. Every search names its
/// page size, so a server's small default (20 on some) does not cut a prefetch short; a prefetch that still comes back
/// paged is read from the FHIR server, never used in part.
/// </summary>
public sealed class PrefetchQueries
{
    /// <summary>Results asked for per search page, in the templates and in the service's own reads.</summary>
    public const int PageSize = 100;

    /// <summary>
    /// Longest query, for the longest FHIR id (64 characters): servers and proxies commonly refuse request lines over
    /// 2 KB, and this leaves room for the method, the server's base path and the protocol.
    /// </summary>
    public const int MaxQueryLength = 1800;

    /// <summary>The queries for the shipped and site codes; refuses codes too many for one request line.</summary>
    public PrefetchQueries(Terminology terminology)
    {
        ObservationCodes = ObservationCodesOf(terminology);
        ContextObservationCodes = [.. new[] { terminology.Ca199, terminology.MicrosatelliteInstability, terminology.ResectionMargin }
            .SelectMany(c => c.Codes).Distinct().Order(StringComparer.Ordinal)];
        var longest = For(new string('x', 64)).Values.Concat(ContextFor(new string('x', 64)).Values).Max(q => q.Length);
        if (longest > MaxQueryLength)
            throw new InvalidOperationException($"The Observation query would be {longest} characters long for a 64-character patient id, over {MaxQueryLength}: EHRs and proxies refuse request lines over 2 KB. Remove site codes from the Terminology section, or map them to the shipped ones.");
    }

    /// <summary>The patient (read only to check identity).</summary>
    public const string PatientKey = "patient";
    /// <summary>Every Condition of the patient.</summary>
    public const string ConditionsKey = "conditions";
    /// <summary>RAS, tumour size, lesion count, N and M category, CEA.</summary>
    public const string ObservationsKey = "observations";
    /// <summary>Every Procedure of the patient.</summary>
    public const string ProceduresKey = "procedures";

    /// <summary>Keys whose data the models read; the patient key is not among them.</summary>
    public static IReadOnlyList<string> ClinicalKeys { get; } = [ConditionsKey, ObservationsKey, ProceduresKey];

    /// <summary>MDT context: CA 19-9, microsatellite instability and resection margin Observations (BRAF comes with the variant assessments).</summary>
    public const string ContextObservationsKey = "contextObservations";
    /// <summary>MDT context: medication orders, with the Medications they reference.</summary>
    public const string MedicationRequestsKey = "medicationRequests";
    /// <summary>MDT context: medication statements, with the Medications they reference.</summary>
    public const string MedicationStatementsKey = "medicationStatements";
    /// <summary>MDT context: medication administrations, with the Medications they reference.</summary>
    public const string MedicationAdministrationsKey = "medicationAdministrations";

    /// <summary>
    /// Keys of the MDT view's context, read only by the SMART app: never prefetched by a hook, whose answer they cannot change.
    /// </summary>
    public static IReadOnlyList<string> ContextKeys { get; } =
        [ContextObservationsKey, MedicationRequestsKey, MedicationStatementsKey, MedicationAdministrationsKey];

    /// <summary>The Observation codes of the MDT context query.</summary>
    public IReadOnlyList<string> ContextObservationCodes { get; }

    /// <summary>The Observation codes searched for: every enumerated code of the Observation value sets.</summary>
    public IReadOnlyList<string> ObservationCodes { get; }

    private static string[] ObservationCodesOf(Terminology terminology) =>
    [
        .. new[]
        {
            terminology.VariantAssessment, terminology.KrasMutationResult, terminology.NrasMutationResult, terminology.TumorSize,
            terminology.LiverLesionCount, terminology.PathologicalN, terminology.ClinicalN, terminology.UnspecifiedN,
            terminology.DistantMetastasisCategory, terminology.Cea,
        }.SelectMany(c => c.Codes).Distinct().Order(StringComparer.Ordinal),
    ];

    /// <summary>The resource type a key's query searches.</summary>
    public static string ResourceTypeOf(string key) => key switch
    {
        PatientKey => "Patient",
        ConditionsKey => "Condition",
        ObservationsKey => "Observation",
        ProceduresKey => "Procedure",
        ContextObservationsKey => "Observation",
        MedicationRequestsKey => "MedicationRequest",
        MedicationStatementsKey => "MedicationStatement",
        MedicationAdministrationsKey => "MedicationAdministration",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a prefetch key of this service"),
    };

    /// <summary>The queries with <c>{{context.patientId}}</c> left as a CDS Hooks prefetch token.</summary>
    public IReadOnlyDictionary<string, string> Templates() => For("{{context.patientId}}");

    /// <summary>The queries for one patient.</summary>
    public IReadOnlyDictionary<string, string> For(string patientId) => new Dictionary<string, string>
    {
        [PatientKey] = $"Patient/{patientId}",
        [ConditionsKey] = $"Condition?patient=Patient/{patientId}&_count={PageSize}",
        [ObservationsKey] = $"Observation?patient=Patient/{patientId}&code={string.Join(",", ObservationCodes.Select(Uri.EscapeDataString))}&_count={PageSize}",
        [ProceduresKey] = $"Procedure?patient=Patient/{patientId}&_count={PageSize}",
    };

    /// <summary>The MDT context's queries, with <c>{{context.patientId}}</c> left as a token (the SMART app fills it).</summary>
    public IReadOnlyDictionary<string, string> ContextTemplates() => ContextFor("{{context.patientId}}");

    private Dictionary<string, string> ContextFor(string patientId) => new()
    {
        [ContextObservationsKey] = $"Observation?patient=Patient/{patientId}&code={string.Join(",", ContextObservationCodes.Select(Uri.EscapeDataString))}&_count={PageSize}",
        [MedicationRequestsKey] = $"MedicationRequest?patient=Patient/{patientId}&_include=MedicationRequest:medication&_count={PageSize}",
        [MedicationStatementsKey] = $"MedicationStatement?patient=Patient/{patientId}&_include=MedicationStatement:medication&_count={PageSize}",
        [MedicationAdministrationsKey] = $"MedicationAdministration?patient=Patient/{patientId}&_include=MedicationAdministration:medication&_count={PageSize}",
    };
}
