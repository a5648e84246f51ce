using System.Globalization;
using System.Net;
using System.Text;
using CrlmCdsHooks.Validation.Cohort;

namespace CrlmCdsHooks.Validation.Report;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS and SVG, nothing fetched) for the clinicians and the
/// hospital's governance, with every figure beside the paper's and every limit stated where the figure is.
/// </summary>
public static class HtmlReport
{
    /// <summary>Renders the report.</summary>
    public static string Render(CohortAnalysisResult analysis)
    {
        var r = analysis.Report;
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Liu 2021 model on this hospital's patients: validation report</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1d2733;line-height:1.45}
            h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ccd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccd;padding:.3em .6em;text-align:right}
            th:first-child,td:first-child{text-align:left}th{background:#f0f3f7}.caveat{background:#fff6e0;border-left:4px solid #d9a400;padding:.6em 1em}
            .muted{color:#5a6573;font-size:.9em}
            </style></head><body>
            <h1>Liu 2021 recurrent-CRLM model on this hospital's own patients</h1>
            <p class="muted">Model {{E(r.Model.Id)}} {{E(r.Model.Version)}} · data: {{E(r.Source)}} · made {{r.GeneratedAt:yyyy-MM-dd HH:mm}} UTC</p>
            <div class="caveat"><p><strong>Read this first.</strong> The model (Liu et al., BMC Surg 2021;21:327) was derived on 300 patients
            of one centre and has never been externally validated. Its points here are <strong>reconstructed from the published hazard
            ratios</strong>, and the high-risk threshold of {{N(r.Model.HighRiskThreshold, "0")}} on this scale is <strong>an interpretation</strong>
            (see <code>docs/clinical-model.md</code>). This report checks, on this hospital's past patients, whether the score separates
            survival as the paper suggests. It is a retrospective association in routine data: it does not show that following the
            card's recommendation improves outcomes, and it supports, but does not replace, the multidisciplinary team.</p></div>
            """);

        html.Append($"<h2>1. Patients</h2>{Svg.Flow(r)}");
        html.Append($"<p>Each patient was assessed by the service's own engine, as of the recurrence date (see <a href=\"#method\">method</a>). " +
            $"Review items (records the service asks a clinician to check) were raised for {r.Review.Patients:N0} patients with a liver metastasis on record, " +
            $"{r.Review.EligiblePatients:N0} of them analysed; {r.Review.Items:N0} items in all.</p>");
        if (r.Review.Reasons.Count > 0)
            html.Append("<table><tr><th>most frequent review reasons</th><th>items</th></tr>")
                .AppendJoin("", r.Review.Reasons.Select(x => $"<tr><td>{E(x.Reason)}</td><td>{x.Count:N0}</td></tr>")).Append("</table>");

        html.Append("<h2>2. Risk groups and factors</h2>");
        html.Append($"<p>Risk group as on the card (the decision score, local treatment assumed): low {Count(r.RiskGroups, "low")}, high {Count(r.RiskGroups, "high")}. " +
            "The derivation cohort's group sizes are not reported by the paper.</p>");
        html.Append("<table><tr><th>factor (analysed patients)</th><th>patients</th><th>%</th><th>derivation cohort %</th><th>where in the paper</th></tr>")
            .AppendJoin("", r.Factors.Select(f => $"<tr><td>{E(f.Label)}</td><td>{f.Patients:N0}</td><td>{N(f.Percent)}</td><td>{N(f.DerivationPercent)}</td><td>{E(f.DerivationWhere)}</td></tr>"))
            .Append("</table>");

        html.Append("<h2>3. Overall survival from the recurrence</h2>");
        html.Append(Svg.KaplanMeier(analysis.ByRiskGroup, "Kaplan–Meier overall survival by risk group"));
        html.Append(AtRiskTable(r.SurvivalByRiskGroup));
        html.Append($"<p>Log-rank test, low vs high risk: χ² = {N(r.LogRank.ChiSquare, "0.00")} on {r.LogRank.DegreesOfFreedom} df, p {PRelation(r.LogRank.P)}.</p>");
        html.Append(SurvivalTable(r.SurvivalByRiskGroup, "risk group", paperColumn: false));
        html.Append("<p>The paper reports survival by treatment, not by risk group; by treatment actually given (a liver resection or ablation within 90 days of the recurrence):</p>");
        html.Append(Svg.KaplanMeier(analysis.ByTreatment, "Kaplan–Meier overall survival by treatment given"));
        html.Append(SurvivalTable(r.SurvivalByTreatment, "treatment given", paperColumn: true));
        var h = r.HighRiskByTreatment;
        html.Append($"<p>High-risk group by treatment: median survival {Mo(h.LocalTreatmentMedianMonths)} with local treatment (n = {h.LocalTreatment:N0}) vs {Mo(h.NoLocalTreatmentMedianMonths)} without (n = {h.NoLocalTreatment:N0})" +
            (h.LogRank is { } lr ? $", log-rank p {PRelation(lr.P)}" : "") +
            $"; the paper: {N(h.Paper.LocalTreatment, "0")} vs {N(h.Paper.NoLocalTreatment, "0")} months, p = {N(h.Paper.P, "0.000")}. " +
            "Treatment was not randomised in either cohort: patients who had local treatment were selected for it.</p>");

        html.Append("<h2>4. Discrimination</h2>");
        html.Append(Svg.Concordance(r.CIndex, r.DecisionScoreCIndex));
        html.Append($"<p>Harrell's C-index of the model's full total with the treatment actually given: <strong>{N(r.CIndex.Estimate, "0.000")}</strong> " +
            $"(bootstrap 95% interval {N(r.CIndex.Lower, "0.000")}–{N(r.CIndex.Upper, "0.000")}, {r.CIndex.Replicates:N0} resamples), beside {N(r.CIndex.Paper, "0.000")} " +
            "in the paper's development cohort (an optimistic figure: measured on the data the model was built from). " +
            $"The decision score alone (local treatment assumed, the score that sets the card's group): {N(r.DecisionScoreCIndex.Estimate, "0.000")} " +
            $"({N(r.DecisionScoreCIndex.Lower, "0.000")}–{N(r.DecisionScoreCIndex.Upper, "0.000")}). Pairs with tied scores count one half.</p>");

        html.Append("<h2>5. Other thresholds</h2><p>How the groups would change with high risk at another total. On the reconstructed scale, " +
            "totals between 10.18 and 13.25 are impossible for the decision score, so thresholds 11 to 13 give the same groups.</p>");
        html.Append("<table><tr><th>high risk at ≥</th><th>decision score: high / low</th><th>log-rank p</th><th>3-year survival high / low %</th>" +
            "<th>total with treatment given: high / low</th><th>log-rank p</th><th>3-year survival high / low %</th></tr>")
            .AppendJoin("", r.Thresholds.Select(t => $"<tr><td>{t.Threshold}</td>{GroupingCells(t.DecisionScore)}{GroupingCells(t.TotalWithTreatmentGiven)}</tr>"))
            .Append("</table>");

        html.Append($$"""
            <h2 id="method">Method and limits</h2>
            <ul>
            <li><strong>Same engine as the card.</strong> Each patient's resources were mapped and scored by the service's own code
            (<code>ClinicalFactsMapper</code> and <code>CrlmAssessor</code>), so the reading rules of <code>docs/clinical-model.md</code> apply unchanged.</li>
            <li><strong>As of the recurrence.</strong> The whole record finds the first liver recurrence after the index hepatectomy; the assessment
            then reads only resources dated up to 90 days after that recurrence (the imaging and staging of the recurrence) and undated ones.
            A later second recurrence or later extrahepatic disease does not exclude a patient. A Bulk Data export holds each resource's
            current version, so a status changed later (e.g. a Condition marked resolved) is read as it is now.</li>
            <li><strong>Outcome.</strong> Follow-up starts at the recurrence date and ends at death (<code>Patient.deceasedDateTime</code>) or,
            for patients not recorded as dead, at the latest date of any of their records (censored). A death recorded without a date excludes the patient.
            Deaths recorded elsewhere (another hospital, a registry) are missed unless the export holds them: censoring may then be too late.</li>
            <li><strong>Score validated.</strong> The full total with the treatment actually given: a liver resection or ablation within 90 days after
            the recurrence counts as local treatment (0 points), otherwise the no-local-treatment points ({{N(r.Model.NoLocalTreatmentPoints, "0.00")}}) are added.
            The paper's C-index of {{N(r.CIndex.Paper, "0.000")}} is for its nomogram, which included treatment.</li>
            <li><strong>Statistics.</strong> Kaplan–Meier with Greenwood variance and 95% intervals on the log scale (R's default); log-rank test as R's <code>survdiff</code>;
            Harrell's C as R's <code>concordance</code> (tied scores count one half, tied death times not compared), with a percentile bootstrap interval.
            Each method is tested against published worked examples (the <code>aml</code> data of R's survival package).</li>
            </ul>
            <p class="muted">References: Liu W, Liu JM, Wang K, Wang HW, Xing BC. BMC Surg 2021;21:327, doi:10.1186/s12893-021-01323-y.
            Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–81. Mantel N. Cancer Chemother Rep 1966;50:163–70.
            Harrell FE et al. JAMA 1982;247:2543–6. Project documentation: <code>docs/clinical-model.md</code>, README "Validate on your own patients".
            Input: {{r.Input.Files}} NDJSON files, {{r.Input.Resources:N0}} resources read{{Ignored(r)}}.</p>
            </body></html>
            """);
        return html.ToString();
    }

    private static string Ignored(ValidationReport r) =>
        (r.Input.IgnoredTypes.Count == 0 ? "" : "; ignored: " + string.Join(", ", r.Input.IgnoredTypes.Select(t => $"{t.Value:N0} {t.Key}")))
        + (r.Input.WithoutPatient == 0 ? "" : $"; {r.Input.WithoutPatient:N0} resources referring to no patient");

    private static string AtRiskTable(IReadOnlyList<GroupSurvival> groups) =>
        "<table><tr><th>numbers at risk (months)</th>" + string.Concat(groups[0].NumbersAtRisk.Select(a => $"<th>{a.Months}</th>")) + "</tr>"
        + string.Concat(groups.Select(g => $"<tr><td style=\"color:{Svg.ColourOf(g.Group)}\">{E(g.Group)}</td>" + string.Concat(g.NumbersAtRisk.Select(a => $"<td>{a.Patients:N0}</td>")) + "</tr>"))
        + "</table>";

    private static string SurvivalTable(IReadOnlyList<GroupSurvival> groups, string what, bool paperColumn) =>
        $"<table><tr><th>{E(what)}</th><th>patients</th><th>deaths</th><th>median (months)</th>"
        + string.Concat(groups[0].At.Select(a => $"<th>{a.Years}-year % (95% CI)</th>" + (paperColumn ? $"<th>paper {a.Years}-year %</th>" : "")))
        + "</tr>"
        + string.Concat(groups.Select(g => $"<tr><td>{E(g.Group)}</td><td>{g.Patients:N0}</td><td>{g.Deaths:N0}</td><td>{Mo(g.MedianMonths)}</td>"
            + string.Concat(g.At.Select(a => $"<td>{N(a.Percent)} ({N(a.Lower)}–{N(a.Upper)})</td>" + (paperColumn ? $"<td>{N(a.PaperPercent)}</td>" : "")))
            + "</tr>"))
        + "</table>";

    private static string GroupingCells(Grouping g) =>
        $"<td>{g.High:N0} / {g.Low:N0}</td><td>{(g.LogRank is { } lr ? P(lr.P) : "–")}</td><td>{N(g.HighPercentAt3Years)} / {N(g.LowPercentAt3Years)}</td>";

    private static string Count(IReadOnlyDictionary<string, int> groups, string group) => groups.GetValueOrDefault(group).ToString("N0", CultureInfo.InvariantCulture);

    private static string Mo(double? months) => months is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) + " months" : "not reached";

    private static string P(double? p) => p is null ? "–" : p < 0.001 ? "< 0.001" : p.Value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>"= 0.123" or "&lt; 0.001", to follow a "p" in a sentence.</summary>
    private static string PRelation(double? p) => P(p) is var text && text.StartsWith('<') ? text : $"= {text}";

    private static string N(double? value, string format = "0.0") =>
        value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string N(decimal value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
