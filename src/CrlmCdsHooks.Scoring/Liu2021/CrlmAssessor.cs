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
    /// <summary>The RAS factor's id: the one missing input a laboratory test supplies.</summary>
    public const string RasMutation = "ras-mutation";

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
            return UnrecognisedCrlm(facts) ?? Unscored(RiskGroup.NoCrlm, facts, timeline: null,
                Recommendations.NotAssessed("no liver metastasis on record"), []);

        var timeline = RecurrenceTimeline.From(facts);
        var findings = timeline.RecurrenceEstablished ? new Findings(facts, timeline) : null;
        if (findings is null || timeline.NotApplicableReasons.Count > 0)
            return Unscored(RiskGroup.NotApplicable, facts, timeline,
                Recommendations.NotAssessed(string.Join("; ", timeline.NotApplicableReasons.Select(r => r.Summary))), []);

        var supporting = SupportingScores.From(findings);
        FactorResult[] factors =
        [
            Factor(NodePositive, findings.NodePositivePrimary(), assumptions),
            Factor(LargeLesion, findings.LargestLesionOver(LargeLesionMm), assumptions),
            Factor(EarlyRecurrence, findings.RecurrenceWithinMonths(EarlyRecurrenceMonths, review: true), assumptions),
            Factor(RasMutation, findings.RasMutation(), assumptions),
        ];
        var range = RangeOf(factors);
        var group = GroupOf(range);
        var missing = factors.Where(f => f.Present is null)
            .Select(f => Missing(f, changesRiskGroup: group == RiskGroup.Indeterminate))
            .ToList();
        // Stryker disable once Linq : equivalent, with no factor missing the range is one value (Min == Max)
        decimal? score = missing.Count == 0 ? range.Min : null;
        var review = new List<ReviewItem>(findings.Review);
        if (BorderlineSize(findings, factors, group) is { } borderline)
            review.Add(borderline);

        var recommendation = timeline.TreatmentGiven is { } given
            ? Recommendations.AlreadyTreated(given)
            : Recommendations.For(group, range, model.HighRiskThreshold, findings, supporting, missing,
                largeLesion: factors[1].Present, earlyRecurrence: factors[2].Present == true);
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
            FirstHepatectomy = timeline.Index!.LastStage,
            Recurrence = timeline.Recurrence!.Diagnosis.Evidence with { Date = timeline.RecurrenceDate },
            Recommendation = recommendation,
            SupportingScores = supporting,
            Caveats = Caveats(applies: true),
            Review = [.. facts.Review, .. timeline.Review, .. review],
            DataWarnings = [.. facts.DataWarnings, .. timeline.Notes],
            Assumptions = [.. factors.Where(f => f.Assumed).Select(f => f.Id)],
        };
    }

    private const decimal LargeLesionMm = 30;
    private const int EarlyRecurrenceMonths = 6;

    /// <summary>A size this close to the cut-off is within measurement error (our choice, docs/clinical-model.md).</summary>
    private const decimal BorderlineMarginMm = 1;

    private static ScoreRange RangeOf(IReadOnlyList<FactorResult> factors) =>
        new(factors.Sum(f => f.Points ?? 0), factors.Sum(f => f.Points ?? f.PointsIfPresent));

    private RiskGroup GroupOf(ScoreRange range) =>
        range.Min >= model.HighRiskThreshold ? RiskGroup.High
        : range.Max < model.HighRiskThreshold ? RiskGroup.Low
        : RiskGroup.Indeterminate;

    /// <summary>A largest lesion within a millimetre of 30 mm that decides the risk group: a value to confirm (SPEC 4, borderline).</summary>
    private ReviewItem? BorderlineSize(Findings findings, FactorResult[] factors, RiskGroup group)
    {
        if (findings.LargestLesion is not { } largest || factors[1].Assumed
            || Math.Abs(largest.LargestDiameterMm - LargeLesionMm) > BorderlineMarginMm)
            return null;
        var flipped = factors.ToArray();
        flipped[1] = factors[1] with { Points = factors[1].Points is > 0 ? 0 : factors[1].PointsIfPresent };
        return GroupOf(RangeOf(flipped)) == group ? null
            : ReviewItem.About(largest.Evidence,
                $"the largest lesion ({largest.LargestDiameterMm:0.#} mm) is within {BorderlineMarginMm:0} mm of the model's 30 mm cut-off and decides the risk group: confirm the measurement");
    }

    /// <summary>
    /// SPEC 7.7: a colorectal primary or a liver resection is recognised but the liver metastasis may be coded in a way the
    /// service does not know: answer, saying what could not be classified, rather than stay silent.
    /// </summary>
    private Assessment? UnrecognisedCrlm(ClinicalFacts facts)
    {
        if (facts.Review.Count == 0 || (facts.ColorectalPrimaries.Count == 0 && facts.LiverResections.Count == 0))
            return null;
        NotApplicableReason reason = new("liver-metastasis-not-recognised", "no liver metastasis recognised",
            "No liver metastasis the service recognises is on record, but the record holds conditions it could not classify (listed for review). If one of them is the liver recurrence, code it with a standard code (e.g. SNOMED CT 94381002, ICD-10 C78.7) so the model can be applied.");
        return Unscored(RiskGroup.NotApplicable, facts, timeline: null, Recommendations.NotAssessed(reason.Summary), [reason]);
    }

    private ModelReference Reference => new(model.Id, model.Version, model.Title, model.Citation, model.Url);

    private Assessment Unscored(RiskGroup group, ClinicalFacts facts, RecurrenceTimeline? timeline,
        Recommendation recommendation, IReadOnlyList<NotApplicableReason> reasons) => new()
    {
        Model = Reference,
        RiskGroup = group,
        Threshold = model.HighRiskThreshold,
        NoLocalTreatmentPoints = model.NoLocalTreatment.Points,
        NotApplicableReasons = [.. reasons, .. timeline?.NotApplicableReasons ?? []],
        FirstHepatectomy = timeline?.Index?.LastStage,
        Recurrence = timeline?.Recurrence?.Diagnosis.Evidence,
        Recommendation = recommendation,
        Caveats = Caveats(applies: false),
        Review = [.. facts.Review, .. timeline?.Review ?? []],
        DataWarnings = [.. facts.DataWarnings, .. timeline?.Notes ?? []],
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
        var (needed, action, testingAdvised) = factor.Id switch
        {
            RasMutation when factor.Notes.Any(n => n.Contains("uncertain significance", StringComparison.Ordinal)) => ("KRAS/NRAS mutation status",
                "A variant of uncertain significance is on record: discuss it with molecular pathology rather than re-testing.", false),
            RasMutation when factor.Evidence.Count > 0 => ("KRAS/NRAS mutation status",
                "Extended RAS testing is advised (KRAS and NRAS exons 2, 3 and 4): NRAS, or a clear result, is not on record. Every patient of the derivation cohort had a known RAS status.", true),
            RasMutation => ("KRAS/NRAS mutation status",
                "Order extended RAS testing (KRAS and NRAS exons 2, 3 and 4), or record an existing result. Every patient of the derivation cohort had a known RAS status.", true),
            NodePositive => ("N category of the primary",
                "Record the pathological N category of the colorectal primary (N0, N1 or N2) from the pathology report.", false),
            LargeLesion => ("size of the largest recurrent lesion",
                "Record the longest diameter of the largest recurrent liver lesion.", false),
            _ => (factor.Label, $"Record: {factor.Label}.", false),
        };
        var effect = changesRiskGroup
            ? $"Present adds {PointsText.Of(factor.PointsIfPresent)} points; this can change the risk group."
            : "It cannot change the risk group.";
        return new MissingInput(factor.Id, needed, changesRiskGroup, $"{action} {effect}", testingAdvised);
    }

    /// <summary>The limits of the evidence; resectability wording only where the model applies (SPEC 4, v2).</summary>
    private List<string> Caveats(bool applies) =>
    [
        $"Evidence: {model.Citation} {model.Cohort} C-index {model.CIndex} ({model.Validation})",
        model.PointsProvenance,
        model.ThresholdCaveat,
        model.ScoringRule,
        "The derivation cohort also required radical resection of the primary and of the first liver metastases, no other malignancy, and a liver-only recurrence; the service cannot check these from the record. The paper does not say whether nodal status was pathological or clinical: the service prefers pathological (interpretation).",
        .. applies ? (string[])["The model assumes technically resectable disease: resectability is an MDT judgement."] : [],
        "Decision support: it supports, and does not replace, the multidisciplinary team.",
    ];
}
