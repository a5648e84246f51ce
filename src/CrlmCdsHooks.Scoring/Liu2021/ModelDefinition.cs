using System.Text.Json;

namespace CrlmCdsHooks.Scoring;

/// <summary>One factor of a points model: its published effect and the points it carries when present.</summary>
public sealed record FactorDefinition(string Id, string Label, decimal HazardRatio, decimal CiLow, decimal CiHigh, decimal Points);

/// <summary>
/// What a card says for this model, kept with the model (placeholders in braces are filled by the card builder).
/// Summaries stay under the CDS Hooks 140-character limit.
/// </summary>
public sealed record CardWording(string LowRisk, string HighRisk, string Undetermined, string NotApplicable, string AlreadyTreated,
    string CheckData, string ScoreProvenance, string Evidence, string NoExtrahepaticDisease);

/// <summary>
/// A versioned points model kept as data, so a site holding the published points table can load it without a code change.
/// </summary>
public sealed record ModelDefinition
{
    /// <summary>Stable model id, e.g. <c>liu-2021</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Version of this definition; every result names it.</summary>
    public required string Version { get; init; }
    /// <summary>Human title.</summary>
    public required string Title { get; init; }
    /// <summary>Full citation of the source paper.</summary>
    public required string Citation { get; init; }
    /// <summary>Link to the paper.</summary>
    public required string Url { get; init; }
    /// <summary>Who the model was derived from.</summary>
    public required string Cohort { get; init; }
    /// <summary>Discrimination reported by the paper.</summary>
    public required decimal CIndex { get; init; }
    /// <summary>What is and is not known about validation.</summary>
    public required string Validation { get; init; }
    /// <summary>Where the points come from (here: reconstructed).</summary>
    public required string PointsProvenance { get; init; }
    /// <summary>Why the threshold is less certain than it looks.</summary>
    public required string ThresholdCaveat { get; init; }
    /// <summary>Which total decides the group, and why.</summary>
    public required string ScoringRule { get; init; }
    /// <summary>Total at or above which the patient is high risk.</summary>
    public required decimal HighRiskThreshold { get; init; }
    /// <summary>The patient factors, in display order.</summary>
    public required IReadOnlyList<FactorDefinition> Factors { get; init; }
    /// <summary>The treatment term: points added when no local treatment is given.</summary>
    public required FactorDefinition NoLocalTreatment { get; init; }
    /// <summary>What a card says for this model.</summary>
    public required CardWording Wording { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The Liu 2021 definition shipped with the engine.</summary>
    public static ModelDefinition Liu2021 { get; } = LoadEmbedded("liu-2021.json");

    /// <summary>Reads a definition from JSON (a site's own points table, for example).</summary>
    public static ModelDefinition FromJson(Stream json) =>
        JsonSerializer.Deserialize<ModelDefinition>(json, JsonOptions)
        ?? throw new InvalidDataException("The model definition is empty.");

    /// <summary>The definition of one patient factor by id.</summary>
    public FactorDefinition Factor(string id) =>
        Factors.SingleOrDefault(f => f.Id == id)
        ?? throw new InvalidOperationException($"Model {Id} {Version} has no factor '{id}'.");

    private static ModelDefinition LoadEmbedded(string fileName)
    {
        using var stream = typeof(ModelDefinition).Assembly.GetManifestResourceStream($"CrlmCdsHooks.Scoring.Models.{fileName}")
            ?? throw new InvalidOperationException($"Embedded model {fileName} is missing from the build.");
        return FromJson(stream);
    }
}
