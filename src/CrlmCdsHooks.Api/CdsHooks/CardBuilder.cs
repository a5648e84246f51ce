using System.Globalization;
using System.Text;
using CrlmCdsHooks.Api.Smart;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>
/// Writes an assessment as one CDS Hooks card: a summary under 140 characters with the risk group in words and the
/// recommendation, and a Markdown detail with every factor, its source and date, the total, the threshold,
/// the evidence and its limits (SPEC section 4).
/// </summary>
internal static class CardBuilder
{
    /// <summary>CDS Hooks 2.0: "summary ... SHOULD be under a 140-character limit".</summary>
    public const int MaxSummaryLength = 139;

    /// <param name="appLaunchUrl">The SMART app's launch URL: every card links to the whole assessment.</param>
    public static Card? For(Assessment assessment, string appLaunchUrl)
    {
        if (assessment.RiskGroup == RiskGroup.NoCrlm)
            return null;
        return new Card(
            Uuid: Guid.NewGuid().ToString(),
            Summary: Summary(assessment),
            Detail: Detail(assessment),
            Indicator: assessment.RiskGroup == RiskGroup.High ? "warning" : "info",
            Source: SourceOf(assessment),
            Links: AppLinks(appLaunchUrl));
    }

    /// <summary>
    /// A card for a CRLM patient whose record could be read only in part: it says what is missing and why,
    /// and gives no risk group, since the unread data could change it.
    /// </summary>
    public static Card Incomplete(Assessment assessment, IReadOnlyList<string> unreadable, string appLaunchUrl)
    {
        var md = new StringBuilder();
        md.AppendLine($"**Assessment incomplete**: the service could not read {string.Join(" and ", unreadable)} from the EHR's FHIR server, so no risk group is given. Reopen the chart to try again.").AppendLine();
        foreach (var warning in assessment.DataWarnings)
            md.AppendLine($"- {warning}");
        md.AppendLine().AppendLine("**Evidence and its limits**").AppendLine();
        foreach (var caveat in assessment.Caveats)
            md.AppendLine($"- {caveat}");
        return new Card(Guid.NewGuid().ToString(),
            Shorten($"Recurrent CRLM assessment incomplete: could not read {string.Join(", ", unreadable)} from the EHR", MaxSummaryLength),
            md.ToString().TrimEnd(), "info", SourceOf(assessment), AppLinks(appLaunchUrl));
    }

    /// <summary>CDS Hooks 2.0 SMART link: the EHR launches the app with the card's appContext (a view name, no patient data).</summary>
    private static CardLink[] AppLinks(string appLaunchUrl) =>
        [new CardLink("Open the full assessment", appLaunchUrl, "smart", SmartAppEndpoints.AssessmentAppContext)];

    public static string Summary(Assessment assessment)
    {
        var text = assessment.RiskGroup switch
        {
            RiskGroup.Low => $"Low risk (Liu 2021, recurrent CRLM): {assessment.Recommendation.Summary}",
            RiskGroup.High => $"High risk (Liu 2021, recurrent CRLM): {assessment.Recommendation.Summary}",
            RiskGroup.Indeterminate => $"Recurrent CRLM, risk group undetermined (Liu 2021): record {string.Join(" and ", assessment.Missing.Where(m => m.ChangesRiskGroup).Select(m => m.Needed))}",
            _ => $"Liu 2021 recurrent CRLM model not applicable: {string.Join("; ", assessment.NotApplicableReasons.Select(r => r.Summary))}",
        };
        return Shorten(text, MaxSummaryLength);
    }

    private static CardSource SourceOf(Assessment assessment) =>
        new($"{assessment.Model.Title} (model {assessment.Model.Version})", assessment.Model.Url);

    private static string Detail(Assessment a)
    {
        var md = new StringBuilder();
        md.AppendLine(Headline(a)).AppendLine();
        md.AppendLine($"**Recommendation:** {a.Recommendation.Summary}").AppendLine();
        foreach (var line in a.Recommendation.Details)
            md.AppendLine($"- {line}");
        if (a.Recommendation.Details.Count > 0)
            md.AppendLine();

        foreach (var reason in a.NotApplicableReasons)
            md.AppendLine($"- **Not applicable:** {reason.Detail}");
        if (a.NotApplicableReasons.Count > 0)
            md.AppendLine();

        if (a.Factors.Count > 0)
            AppendFactorTable(md, a);

        var missing = a.Missing.Where(m => !m.ChangesRiskGroup).ToList();
        if (missing.Count > 0)
            md.AppendLine($"Missing but not decisive (cannot change the risk group): {string.Join("; ", missing.Select(m => m.Needed))}.").AppendLine();

        if (a.SupportingScores is { } supporting)
            AppendSupportingScores(md, supporting);

        md.AppendLine("**Evidence and its limits**").AppendLine();
        foreach (var caveat in a.Caveats)
            md.AppendLine($"- {caveat}");

        if (a.DataWarnings.Count > 0)
        {
            md.AppendLine().AppendLine("**Data that could not be used**").AppendLine();
            foreach (var warning in a.DataWarnings)
                md.AppendLine($"- {warning}");
        }
        return md.ToString().TrimEnd();
    }

    private static string Headline(Assessment a) => a.RiskGroup switch
    {
        RiskGroup.NotApplicable => "**Not applicable**: the Liu 2021 model was not applied to this patient.",
        RiskGroup.Indeterminate => $"**Risk group undetermined**: total (assuming local treatment) between {Points(a.ScoreRange!.Min)} and {Points(a.ScoreRange.Max)}; high risk is {Points(a.Threshold)} or more.",
        _ => $"**{(a.RiskGroup == RiskGroup.High ? "High risk" : "Low risk")}**: total {TotalText(a)} assuming local treatment; high risk is {Points(a.Threshold)} or more (reconstructed points, see limits).",
    };

    private static void AppendFactorTable(StringBuilder md, Assessment a)
    {
        md.AppendLine("| Factor | Value | Points | Source |").AppendLine("|---|---|---|---|");
        foreach (var f in a.Factors)
        {
            var present = f.Present switch { true => "yes", false => "no", null => "unknown" };
            var points = f.Points is { } p ? Points(p) : $"unknown (0 or {Points(f.PointsIfPresent)})";
            var sources = f.Evidence.Count == 0 ? "not on record" : string.Join("; ", f.Evidence.Select(Source));
            var notes = f.Notes.Count == 0 ? "" : $" ({string.Join(" ", f.Notes)})";
            md.AppendLine($"| {Cell(f.Label)} | {present}: {Cell(f.Value + notes)} | {points} | {Cell(sources)} |");
        }
        md.AppendLine($"| **Total, assuming local treatment** | | **{TotalText(a)}** | |");
        var without = a.ScoreWithoutLocalTreatment is { } w ? Points(w) : $"{Points(a.ScoreRange!.Min + a.NoLocalTreatmentPoints)} to {Points(a.ScoreRange.Max + a.NoLocalTreatmentPoints)}";
        md.AppendLine($"| Total without local treatment (context) | | {without} | |").AppendLine();
    }

    private static void AppendSupportingScores(StringBuilder md, SupportingScores s)
    {
        md.AppendLine("**Supporting scores**").AppendLine();
        md.AppendLine($"- Clinical risk score: {Count(s.Fong.Score)} ({s.Fong.Group}). {s.Fong.Label} {s.Fong.ReportedSurvival}");
        md.AppendLine($"- Kobayashi poor prognostic factors: {Count(s.Kobayashi.Factors)} ({s.Kobayashi.Reading}). {s.Kobayashi.Label} {s.Kobayashi.ReportedSurvival}");
        md.AppendLine($"- Conversion context: {s.Conversion.Text}");
        foreach (var context in s.Context)
            md.AppendLine($"- {context}");
        md.AppendLine();
    }

    private static string Count(ItemCount count) => count.Exact is { } n ? $"{n}" : $"{count.Min} to {count.Max}";

    private static string TotalText(Assessment a) =>
        a.Score is { } score ? Points(score) : $"{Points(a.ScoreRange!.Min)} to {Points(a.ScoreRange.Max)}";

    private static string Source(Evidence e) => e.Date is { } date ? $"{e.Reference} ({date:yyyy-MM-dd})" : $"{e.Reference} (undated)";

    private static string Points(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    // A pipe or line break inside a value would break the Markdown table.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var cut = text.LastIndexOf(' ', max - 1);
        return string.Concat(text.AsSpan(0, cut > 0 ? cut : max - 1), "…");
    }
}
