namespace CrlmCdsHooks.Fhir;

/// <summary>
/// The FHIR queries the service needs for one patient, keyed as CDS Hooks prefetch keys. Each is code-filtered
/// with token searches (no composite searches) and uses the <c>Patient/{id}</c> reference form, which every server supports.
/// </summary>
public sealed class PrefetchQueries(Terminology terminology)
{
    /// <summary>The patient (read only to check identity).</summary>
    public const string PatientKey = "patient";
    /// <summary>Colorectal primaries and metastases.</summary>
    public const string ConditionsKey = "conditions";
    /// <summary>RAS, tumour size, lesion count, N category, CEA.</summary>
    public const string ObservationsKey = "observations";
    /// <summary>Liver resections and ablations.</summary>
    public const string ProceduresKey = "procedures";

    /// <summary>Keys whose data the models read; the patient key is not among them.</summary>
    public static IReadOnlyList<string> ClinicalKeys { get; } = [ConditionsKey, ObservationsKey, ProceduresKey];

    /// <summary>The queries with <c>{{context.patientId}}</c> left as a CDS Hooks prefetch token.</summary>
    public IReadOnlyDictionary<string, string> Templates() => For("{{context.patientId}}");

    /// <summary>The queries for one patient.</summary>
    public IReadOnlyDictionary<string, string> For(string patientId) => new Dictionary<string, string>
    {
        [PatientKey] = $"Patient/{patientId}",
        [ConditionsKey] = Search("Condition", patientId, terminology.ColorectalPrimary, terminology.LiverMetastasis,
            terminology.ExtrahepaticMetastasis, terminology.SecondaryNeoplasmAnySite),
        [ObservationsKey] = Search("Observation", patientId, terminology.VariantAssessment, terminology.KrasMutationResult,
            terminology.NrasMutationResult, terminology.TumorSize, terminology.LiverLesionCount, terminology.PathologicalN,
            terminology.ClinicalN, terminology.UnspecifiedN, terminology.Cea),
        [ProceduresKey] = Search("Procedure", patientId, terminology.LiverResection, terminology.LiverAblation),
    };

    private static string Search(string resourceType, string patientId, params CodeSet[] codes) =>
        $"{resourceType}?patient=Patient/{patientId}&code={string.Join(",", codes.SelectMany(c => c.Entries).Distinct())}";
}
