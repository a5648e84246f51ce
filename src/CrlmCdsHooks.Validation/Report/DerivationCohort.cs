using System.Text.Json;

namespace CrlmCdsHooks.Validation.Report;

/// <summary>A figure of the derivation cohort: how many of its patients had the factor, and where the paper says so.</summary>
/// <param name="Count">Patients with the factor; null when the paper does not report it.</param>
public sealed record DerivationFactor(string Id, int? Count, string Where);

/// <summary>The derivation cohort's survival in one treatment group, in percent at whole years.</summary>
public sealed record DerivationSurvival(string Group, int Patients, IReadOnlyDictionary<string, double> PercentAt);

/// <summary>The high-risk group's median survival by treatment, as the paper reports it.</summary>
public sealed record DerivationHighRiskMedian(double LocalTreatment, double NoLocalTreatment, double P, string Where);

/// <summary>
/// What Liu 2021 reports about its derivation cohort, kept as data (<c>derivation-cohort.json</c>) with where each figure
/// is in the paper, so the report sets the hospital's figures beside the paper's without a number hidden in code.
/// </summary>
public sealed record DerivationCohort(string Citation, string Url, int Patients, IReadOnlyList<DerivationFactor> Factors,
    IReadOnlyList<DerivationSurvival> SurvivalByTreatment, string SurvivalWhere, DerivationHighRiskMedian HighRiskMedianMonths)
{
    // Declared before Liu2021: static initialisers run in text order.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The shipped figures of Liu 2021.</summary>
    public static DerivationCohort Liu2021 { get; } = Load();

    /// <summary>The figure of one factor (or <c>local-treatment</c>).</summary>
    public DerivationFactor Factor(string id) => Factors.Single(f => f.Id == id);

    private static DerivationCohort Load()
    {
        using var stream = typeof(DerivationCohort).Assembly.GetManifestResourceStream("CrlmCdsHooks.Validation.derivation-cohort.json")
            ?? throw new InvalidOperationException("derivation-cohort.json is missing from the build.");
        return JsonSerializer.Deserialize<DerivationCohort>(stream, JsonOptions)
            ?? throw new InvalidOperationException("derivation-cohort.json is empty.");
    }
}
