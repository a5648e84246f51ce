using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// The cards of <c>order-sign</c> for a liver resection or ablation being signed. The assessment card is the
/// <c>patient-view</c> card (<see cref="CardBuilder"/>, with its link, suggestions and override reasons), opened by a line
/// about the order for an eligible patient. In the high-risk group it is a warning (an order that conflicts with the
/// model) with a suggestion that drafts a request for a multidisciplinary team review. An ablation for a largest lesion
/// over 30 mm, or of unrecorded size, adds a warning: in the paper's practice RFA was contraindicated above 3 cm.
/// </summary>
internal static class OrderSignCards
{
    public const string LargeLesionFactor = "largest-lesion-over-3cm";

    public static IReadOnlyList<Card> For(Assessment assessment, CardWording wording, IReadOnlySet<LiverTreatment> ordered,
        IReadOnlyList<string> unreadable, CardContext context)
    {
        if (assessment.RiskGroup == RiskGroup.NoCrlm)
            return [];
        if (unreadable.Count > 0)
            return [CardBuilder.Incomplete(assessment, wording, unreadable, context)];

        var card = CardBuilder.For(assessment, wording, context);
        var order = $"**{Ordered(ordered)} is being ordered.**";
        card = assessment.Recommendation.Kind switch
        {
            RecommendationKind.SystemicTherapyFirst => card with
            {
                Indicator = "warning",
                Detail = $"{order} In the model's high-risk group, local treatment showed no significant survival benefit over systemic chemotherapy alone (Liu 2021; the figures are below). Consider a multidisciplinary team review before signing; the model does not rule local treatment out.\n\n{card.Detail}",
                Suggestions = [.. card.Suggestions ?? [], MdtReview(context.PatientId)],
                SelectionBehavior = "any",
            },
            RecommendationKind.LocalTreatment => card with
            {
                Detail = $"{order} The patient is in the model's low-risk group, where local treatment was linked to longer survival, provided the MDT confirms the recurrence is technically resectable or ablatable.\n\n{card.Detail}",
            },
            _ => card,
        };
        return ordered.Contains(LiverTreatment.Ablation) && AblationCard(assessment, context) is { } ablation ? [card, ablation] : [card];
    }

    private static string Ordered(IReadOnlySet<LiverTreatment> ordered) => ordered.Count switch
    {
        > 1 => "A liver resection and a liver ablation",
        _ when ordered.Contains(LiverTreatment.Resection) => "A liver resection",
        _ => "A liver ablation",
    };

    /// <summary>Not preselected: the MDT review is advice the surgeon weighs, and local treatment is not ruled out.</summary>
    private static Suggestion MdtReview(string patientId) => new("Request a multidisciplinary team review first", Guid.NewGuid().ToString(),
        [
            new SuggestionAction("create", "Draft request for a liver MDT review of the recurrence before local treatment",
                CardBuilder.DraftServiceRequest(patientId, "Multidisciplinary team review",
                    "Multidisciplinary team review of recurrent colorectal liver metastases before repeat local treatment",
                    "Liu 2021 high-risk group (points reconstructed from published hazard ratios): local treatment showed no significant survival benefit over systemic chemotherapy")),
        ]);

    /// <summary>Liu 2021, Methods: "RFA was contraindicated when (1) the diameter of the largest tumor exceeded 3 cm".</summary>
    private static Card? AblationCard(Assessment assessment, CardContext context)
    {
        if (assessment.Factors.FirstOrDefault(f => f.Id == LargeLesionFactor) is not { Present: not false } lesion)
            return null;
        var (summary, finding) = lesion.Present == true
            ? ("Ablation ordered for a liver lesion over 30 mm: RFA was contraindicated above 3 cm in Liu 2021's practice",
                $"On record: {MarkdownText.Escape(lesion.Value)}, over 30 mm.")
            : ("Ablation ordered, largest liver lesion size not on record: Liu 2021 contraindicated RFA above 3 cm",
                "The size of the largest recurrent liver lesion is not on record: confirm it before an ablation.");
        var detail = $"**{finding}**\n\nIn the Liu 2021 cohort (Methods), RFA was contraindicated when the largest tumour exceeded 3 cm, or lay next to major bile ducts or large vessels; larger lesions were treated by repeat hepatectomy. This is the practice of the paper's centre, not a rule the model validated: the MDT decides the modality.\n\nSource: Liu et al., BMC Surg 2021;21:327; how this service reads it: docs/clinical-model.md.";
        return new Card(Guid.NewGuid().ToString(), summary, detail, "warning", CardBuilder.SourceOf(assessment, context),
            OverrideReasons: context.OverrideReasons);
    }
}
