using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Scoring.Tests;

/// <summary>Builds the clinical facts of a patient with a first liver recurrence after a hepatectomy on 2023-01-15.</summary>
internal static class Facts
{
    public static readonly DateOnly Hepatectomy = new(2023, 1, 15);
    public static readonly DateOnly LateRecurrence = new(2023, 11, 20);
    public static readonly DateOnly EarlyRecurrence = new(2023, 4, 2);

    public static Evidence At(string reference, DateOnly? date, string description = "test record") => new(reference, date, description);

    /// <summary>An active diagnosis.</summary>
    public static Diagnosis Dx(string reference, DateOnly? date, string description = "test diagnosis", ClinicalState state = ClinicalState.Active,
        DateOnly? abated = null) => new(At(reference, date, description), state, abated);

    /// <summary>A patient eligible for the model; null leaves an input unrecorded.</summary>
    public static ClinicalFacts Recurrent(bool? nodePositive = false, decimal? largestMm = 20m, DateOnly? recurrence = null,
        bool? rasMutated = false, int lesionMeasurements = 1) => new()
    {
        ColorectalPrimaries = [Dx("Condition/primary", new(2022, 6, 1), "Malignant tumor of colon")],
        LiverMetastases =
        [
            Dx("Condition/synchronous", new(2022, 6, 1), "Secondary malignant neoplasm of liver"),
            Dx("Condition/recurrence", recurrence ?? LateRecurrence, "Secondary malignant neoplasm of liver"),
        ],
        LiverResections = [At("Procedure/hepatectomy", Hepatectomy, "Hepatectomy")],
        NodalStagings = nodePositive is { } n ? [new NodalStaging(n, n ? "pN1" : "pN0", true, At("Observation/pn", new(2022, 7, 1)))] : [],
        RasResults = rasMutated is { } r
            ? [new RasResult(RasGene.Kras, r ? RasCall.Mutation : RasCall.NoMutation, At("Observation/kras", new(2022, 7, 1))), new RasResult(RasGene.Nras, RasCall.NoMutation, At("Observation/nras", new(2022, 7, 1)))]
            : [],
        LesionMeasurements = largestMm is { } size
            ? Enumerable.Range(0, lesionMeasurements)
                .Select(i => new LesionMeasurement(size - i, $"lesion-{i}", true, At($"Observation/size-{i}", (recurrence ?? LateRecurrence).AddDays(3))))
                .ToList()
            : [],
    };

    public static Assessment Assess(ClinicalFacts facts) => new CrlmAssessor(ModelDefinition.Liu2021).Assess(facts);
}
