using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Api.Smart;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// Writes an assessment as one CDS Hooks card that fits a card column (SPEC section 4, v2): a summary under 140
/// characters, then the risk line with its provenance, what to check first, the recommendation, the factor table,
/// one line on the evidence and its limits, and the link to the full assessment. Supporting scores and the full
/// evidence live in the SMART app. The wording is the model's (<see cref="ModelDefinition.Wording"/>).
/// </summary>
internal static class CardBuilder
{
    /// <summary>CDS Hooks 2.0: "summary ... SHOULD be under a 140-character limit".</summary>
    public const int MaxSummaryLength = 139;

    /// <param name="wording">The model's card wording.</param>
    /// <param name="context">What every card of this answer shares.</param>
    public static Card For(Assessment assessment, CardWording wording, CardContext context)
    {
        Suggestion[]? suggestions = RasTestingSuggestion(assessment, context) is { } ras ? [ras] : null;
        return new Card(
            Uuid: Guid.NewGuid().ToString(),
            Summary: Summary(assessment, wording),
            Detail: Detail(assessment, wording),
            Indicator: NeedsChecking(assessment) ? "warning" : "info",
            Source: SourceOf(assessment, context),
            Suggestions: suggestions,
            SelectionBehavior: suggestions is null ? null : "any",
            OverrideReasons: context.OverrideReasons,
            Links: AppLinks(context));
    }

    /// <summary>
    /// A card for a CRLM patient whose record could be read only in part: it says what is missing and why,
    /// and gives no risk group, since the unread data could change it.
    /// </summary>
    public static Card Incomplete(Assessment assessment, CardWording wording, IReadOnlyList<string> unreadable, CardContext context)
    {
        var md = new StringBuilder();
        md.AppendLine($"**Assessment incomplete**: the service could not read {string.Join(" and ", unreadable)} from the EHR's FHIR server, so no risk group is given. Reopen the chart to try again.").AppendLine();
        AppendReview(md, assessment);
        md.AppendLine(wording.Evidence);
        return new Card(Guid.NewGuid().ToString(),
            PlainText.Clip($"Recurrent CRLM assessment incomplete: could not read {string.Join(", ", unreadable)} from the EHR", MaxSummaryLength),
            md.ToString().TrimEnd(), "warning", SourceOf(assessment, context),
            OverrideReasons: context.OverrideReasons, Links: AppLinks(context));
    }

    /// <summary>
    /// SPEC 4 (v2): the indicator says how much the card needs checking, not how bad the prognosis is: a warning for
    /// review items and an undetermined group; otherwise info, for the high-risk group too.
    /// </summary>
    public static bool NeedsChecking(Assessment assessment) =>
        assessment.Review.Count > 0 || assessment.RiskGroup == RiskGroup.Indeterminate;

    /// <summary>CDS Hooks 2.0 SMART link: the EHR launches the app with the card's appContext (a view name, no patient data).</summary>
    private static CardLink[] AppLinks(CardContext context) =>
        [new CardLink("Open the full assessment", context.AppLaunchUrl, "smart", SmartAppEndpoints.AssessmentAppContext)];

    /// <summary>
    /// When the model lacks the RAS status and a test would supply it: a draft order for extended RAS testing that the
    /// clinician can accept. It is recommended (preselected) only when the result could change the risk group.
    /// </summary>
    private static Suggestion? RasTestingSuggestion(Assessment assessment, CardContext context)
    {
        var ras = assessment.Missing.FirstOrDefault(m => m.Id == CrlmAssessor.RasMutation && m.TestingAdvised);
        if (ras is null)
            return null;
        var order = DraftServiceRequest(context.PatientId, "Molecular pathology",
            "Extended RAS mutation testing (KRAS and NRAS exons 2, 3 and 4) of colorectal cancer tissue",
            "Recurrent colorectal liver metastases: RAS status not on record (a risk factor of the Liu 2021 model)");
        return new Suggestion("Order extended RAS testing (KRAS and NRAS)", Guid.NewGuid().ToString(),
            [new SuggestionAction("create", "Draft order for extended RAS mutation testing of tumour tissue", order)],
            IsRecommended: ras.ChangesRiskGroup ? true : null);
    }

    /// <summary>
    /// A draft ServiceRequest for a suggestion to create. Text only: orderable codes differ between laboratories and
    /// hospitals; the EHR maps the draft to its own catalogue.
    /// </summary>
    public static JsonObject DraftServiceRequest(string patientId, string category, string what, string why) => new()
    {
        ["resourceType"] = "ServiceRequest",
        ["status"] = "draft",
        ["intent"] = "proposal",
        ["category"] = new JsonArray(new JsonObject { ["text"] = category }),
        ["code"] = new JsonObject { ["text"] = what },
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
        ["reasonCode"] = new JsonArray(new JsonObject { ["text"] = why }),
    };

    public static string Summary(Assessment assessment, CardWording wording)
    {
        var text = assessment.Recommendation.Kind == RecommendationKind.AlreadyTreated
            ? wording.AlreadyTreated.Replace("{group}", GroupName(assessment.RiskGroup), StringComparison.Ordinal)
            : assessment.RiskGroup switch
            {
                RiskGroup.Low => wording.LowRisk,
                RiskGroup.High => wording.HighRisk,
                RiskGroup.Indeterminate => wording.Undetermined.Replace("{missing}",
                    string.Join(" and ", assessment.Missing.Where(m => m.ChangesRiskGroup).Select(m => m.Needed)), StringComparison.Ordinal),
                _ => wording.NotApplicable.Replace("{reasons}",
                    string.Join("; ", assessment.NotApplicableReasons.Select(r => r.Summary)), StringComparison.Ordinal),
            };
        if (assessment.Review.Count > 0)
            text = wording.CheckData.Replace("{count}", Items(assessment.Review.Count), StringComparison.Ordinal) + text;
        return PlainText.Clip(text, MaxSummaryLength);
    }

    public static CardSource SourceOf(Assessment assessment, CardContext context) =>
        new($"{assessment.Model.Title} (model {assessment.Model.Version})", assessment.Model.Url, context.IconUrl,
            new WireCoding(CardCodes.ModelSystem, assessment.Model.Id, assessment.Model.Title));

    private static string Detail(Assessment a, CardWording wording)
    {
        var md = new StringBuilder();
        md.AppendLine(Headline(a, wording)).AppendLine();

        AppendReview(md, a);

        foreach (var reason in a.NotApplicableReasons)
            md.AppendLine($"- **Not applicable:** {MarkdownText.Escape(reason.Detail)}");
        if (a.NotApplicableReasons.Count > 0)
            md.AppendLine();

        if (a.Factors.Count > 0)
        {
            md.AppendLine($"**{(a.Recommendation.Kind == RecommendationKind.AlreadyTreated ? "Already treated" : "Recommendation")}:** {MarkdownText.Escape(a.Recommendation.Summary)}").AppendLine();
            foreach (var line in a.Recommendation.Details)
                md.AppendLine($"- {MarkdownText.Escape(line)}");
            md.AppendLine().AppendLine(wording.NoExtrahepaticDisease).AppendLine();
            AppendFactorTable(md, a);
            var notDecisive = a.Missing.Where(m => !m.ChangesRiskGroup).ToList();
            if (notDecisive.Count > 0)
                md.AppendLine($"Missing but not decisive (cannot change the risk group): {string.Join("; ", notDecisive.Select(m => m.Needed))}.").AppendLine();
        }

        if (a.DataWarnings.Count > 0)
            md.AppendLine($"Reading notes: {Items(a.DataWarnings.Count)} about records set aside or not readable; the full assessment lists them.").AppendLine();
        md.AppendLine(wording.Evidence);
        return md.ToString().TrimEnd();
    }

    /// <summary>SPEC 7.7: what the service could not classify or read, each with why it matters.</summary>
    private static void AppendReview(StringBuilder md, Assessment a)
    {
        if (a.Review.Count == 0)
            return;
        md.AppendLine("**Check before trusting this card**").AppendLine();
        foreach (var item in a.Review)
            md.AppendLine($"- {MarkdownText.Escape(item.Description)}: {MarkdownText.Escape(item.Reason).TrimEnd('.')}.");
        md.AppendLine();
    }

    private static string Headline(Assessment a, CardWording wording)
    {
        var provenance = wording.ScoreProvenance.Replace("{threshold}", PointsText.Of(a.Threshold), StringComparison.Ordinal);
        return a.RiskGroup switch
        {
            RiskGroup.NotApplicable => "**Not applicable**: the Liu 2021 model was not applied to this patient.",
            RiskGroup.Indeterminate => $"**Risk group undetermined**: total (assuming local treatment) between {PointsText.Of(a.ScoreRange!.Min)} and {PointsText.Of(a.ScoreRange.Max)}; high risk is {PointsText.Of(a.Threshold)} or more ({provenance}).",
            _ => $"**{GroupName(a.RiskGroup)}**: total {TotalText(a)} assuming local treatment; high risk is {PointsText.Of(a.Threshold)} or more ({provenance}).",
        };
    }

    private static void AppendFactorTable(StringBuilder md, Assessment a)
    {
        md.AppendLine("| Factor | Value | Points | Source |").AppendLine("|---|---|---|---|");
        foreach (var f in a.Factors)
        {
            var present = f.Present switch { true => "yes", false => "no", null => "unknown" };
            var points = f.Points is { } p ? PointsText.Of(p) : $"unknown (0 or {PointsText.Of(f.PointsIfPresent)})";
            var sources = f.Evidence.Count == 0 ? "not on record" : string.Join("; ", f.Evidence.Select(Source).Distinct());
            var notes = f.Notes.Count == 0 ? "" : $" ({string.Join(" ", f.Notes)})";
            md.AppendLine($"| {MarkdownText.Escape(f.Label)} | {present}: {MarkdownText.Escape(f.Value + notes)} | {points} | {MarkdownText.Escape(sources)} |");
        }
        md.AppendLine($"| **Total, assuming local treatment** | | **{TotalText(a)}** | |");
        var without = a.ScoreWithoutLocalTreatment is { } w ? PointsText.Of(w) : $"{PointsText.Of(a.ScoreRange!.Min + a.NoLocalTreatmentPoints)} to {PointsText.Of(a.ScoreRange.Max + a.NoLocalTreatmentPoints)}";
        md.AppendLine($"| Total without local treatment (context) | | {without} | |").AppendLine();
    }

    private static string GroupName(RiskGroup group) => group switch
    {
        RiskGroup.High => "High risk",
        RiskGroup.Low => "Low risk",
        _ => "Risk group undetermined",
    };

    private static string TotalText(Assessment a) =>
        a.Score is { } score ? PointsText.Of(score) : $"{PointsText.Of(a.ScoreRange!.Min)} to {PointsText.Of(a.ScoreRange.Max)}";

    /// <summary>The kind of record and its date: never a FHIR id (SPEC 4, v2).</summary>
    private static string Source(Evidence e) => e.Date is { } date ? $"{e.Kind}, {date:yyyy-MM-dd}" : $"{e.Kind}, undated";

    private static string Items(int count) => count == 1 ? "1 item" : $"{count} items";

}
