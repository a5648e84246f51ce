namespace CrlmCdsHooks.Scoring;

/// <summary>
/// Assesses a patient with recurrent colorectal liver metastases by the core model (SPEC sections 1–4)
/// and computes the supporting scores (section 5). Pure: the same facts always give the same assessment.
/// </summary>
public sealed class CrlmAssessor(ModelDefinition model)
{
    private const string NodePositive = "node-positive-primary";
    private const string LargeLesion = "largest-lesion-over-3cm";
    private const string EarlyRecurrence = "early-recurrence";
    private const string RasMutation = "ras-mutation";

    /// <summary>The model this assessor applies.</summary>
    public ModelDefinition Model => model;

    /// <summary>Ids of the patient factors a what-if may assume, in display order.</summary>
    public IReadOnlyList<string> FactorIds { get; } = [.. model.Factors.Select(f => f.Id)];

    /// <summary>Assesses one patient.</summary>
    /// <param name="assumptions">
    /// What-if values for factors by id (true = present), used instead of the record; each assumed factor is marked
    /// as hypothetical in the result. Ignored when the model does not apply. Nothing is written back anywhere.
    /// </param>
    public Assessment Assess(ClinicalFacts facts, IReadOnlyDictionary<string, bool>? assumptions = null)
    {
        var unknown = assumptions?.Keys.Except(FactorIds).ToList();
        if (unknown is { Count: > 0 })
            throw new ArgumentException($"Unknown factor id(s): {string.Join(", ", unknown)}.", nameof(assumptions));

        if (facts.LiverMetastases.Count == 0)
            return Unscored(RiskGroup.NoCrlm, facts, timeline: null, supporting: null,
                Recommendations.NotAssessed("no liver metastasis on record"));

        var timeline = RecurrenceTimeline.From(facts);
        var findings = timeline.RecurrenceEstablished ? new Findings(facts, timeline) : null;
        var supporting = findings is null ? null : SupportingScores.From(facts, timeline, findings);
        if (findings is null || timeline.NotApplicableReasons.Count > 0)
            return Unscored(RiskGroup.NotApplicable, facts, timeline, supporting,
                Recommendations.NotAssessed(string.Join("; ", timeline.NotApplicableReasons.Select(r => r.Summary))));

        FactorResult[] factors =
        [
            Factor(NodePositive, findings.NodePositivePrimary(), assumptions),
            Factor(LargeLesion, findings.LargestLesionOver(30), assumptions),
            Factor(EarlyRecurrence, findings.RecurrenceWithinMonths(6), assumptions),
            Factor(RasMutation, findings.RasMutation(), assumptions),
        ];
        var range = new ScoreRange(
            factors.Sum(f => f.Points ?? 0),
            factors.Sum(f => f.Points ?? f.PointsIfPresent));
        var group = range.Min >= model.HighRiskThreshold ? RiskGroup.High
            : range.Max < model.HighRiskThreshold ? RiskGroup.Low
            : RiskGroup.Indeterminate;
        var missing = factors.Where(f => f.Present is null)
            .Select(f => Missing(f, changesRiskGroup: group == RiskGroup.Indeterminate))
            .ToList();
        decimal? score = missing.Count == 0 ? range.Min : null;

        return new Assessment
        {
            Model = Reference,
            RiskGroup = group,
            Score = score,
            ScoreWithoutLocalTreatment = score + model.NoLocalTreatment.Points,
            ScoreRange = range,
            Threshold = model.HighRiskThreshold,
            NoLocalTreatmentPoints = model.NoLocalTreatment.Points,
            Factors = factors,
            Missing = missing,
            FirstHepatectomy = timeline.FirstHepatectomy,
            Recurrence = timeline.Recurrence,
            Recommendation = Recommendations.For(group, range, model.HighRiskThreshold, findings, supporting!, missing,
                largeLesion: factors[1].Present, earlyRecurrence: factors[2].Present == true),
            SupportingScores = supporting,
            Caveats = Caveats(),
            DataWarnings = facts.DataWarnings,
            Assumptions = [.. factors.Where(f => f.Assumed).Select(f => f.Id)],
        };
    }

    private ModelReference Reference => new(model.Id, model.Version, model.Title, model.Citation, model.Url);

    private Assessment Unscored(RiskGroup group, ClinicalFacts facts, RecurrenceTimeline? timeline,
        SupportingScores? supporting, Recommendation recommendation) => new()
    {
        Model = Reference,
        RiskGroup = group,
        Threshold = model.HighRiskThreshold,
        NoLocalTreatmentPoints = model.NoLocalTreatment.Points,
        NotApplicableReasons = timeline?.NotApplicableReasons ?? [],
        FirstHepatectomy = timeline?.FirstHepatectomy,
        Recurrence = timeline?.Recurrence,
        Recommendation = recommendation,
        SupportingScores = supporting,
        Caveats = Caveats(),
        DataWarnings = facts.DataWarnings,
    };

    private FactorResult Factor(string id, Finding finding, IReadOnlyDictionary<string, bool>? assumptions)
    {
        var definition = model.Factor(id);
        if (assumptions is not null && assumptions.TryGetValue(id, out var assumed))
            finding = new Finding(assumed, $"what-if: assumed {(assumed ? "present" : "absent")} (record: {finding.Value})", finding.Evidence,
                [.. finding.Notes, "Hypothetical value chosen in the app, not in the record; nothing was written back."]);
        decimal? points = finding.Present switch { true => definition.Points, false => 0m, null => null };
        return new FactorResult(id, definition.Label, finding.Present, points, definition.Points,
            finding.Value, finding.Evidence, finding.Notes, Assumed: assumptions?.ContainsKey(id) == true);
    }

    private static MissingInput Missing(FactorResult factor, bool changesRiskGroup)
    {
        var (needed, action) = factor.Id switch
        {
            RasMutation => ("KRAS/NRAS mutation status",
                "Order KRAS and NRAS mutation testing, or record an existing result. Every patient of the derivation cohort had a known RAS status."),
            NodePositive => ("N category of the primary",
                "Record the pathological N category of the colorectal primary (N0, N1 or N2) from the pathology report."),
            LargeLesion => ("size of the largest recurrent lesion",
                "Record the longest diameter of the largest recurrent liver lesion."),
            _ => (factor.Label, $"Record: {factor.Label}."),
        };
        var effect = changesRiskGroup
            ? $"Present adds {factor.PointsIfPresent:0.00} points; this can change the risk group."
            : "It cannot change the risk group.";
        return new MissingInput(factor.Id, needed, changesRiskGroup, $"{action} {effect}");
    }

    private List<string> Caveats() =>
    [
        $"Evidence: {model.Citation} {model.Cohort} C-index {model.CIndex} ({model.Validation})",
        model.PointsProvenance,
        model.ThresholdCaveat,
        model.ScoringRule,
        "The derivation cohort also required radical resection of the primary and of the first liver metastases, no other malignancy, and a liver-only recurrence; the service cannot check these from the record. The paper does not say whether nodal status was pathological or clinical: the service prefers pathological (interpretation).",
        "The model assumes technically resectable disease: resectability is an MDT judgement.",
        "Decision support: it supports, and does not replace, the multidisciplinary team.",
    ];
}
