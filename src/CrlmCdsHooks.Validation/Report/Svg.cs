using System.Globalization;
using System.Net;
using System.Text;
using CrlmCdsHooks.Validation.Cohort;

namespace CrlmCdsHooks.Validation.Report;

/// <summary>The report's figures as inline SVG, so <c>report.html</c> is one self-contained file.</summary>
public static class Svg
{
    private const int Width = 720, Height = 340, Left = 56, Right = 20, Top = 16, Bottom = 44;
    private const double Months = 60;

    /// <summary>Colour-blind-safe colours (Okabe–Ito) by group name.</summary>
    public static string ColourOf(string group) => group switch
    {
        "low" => "#0072B2",
        "high" => "#D55E00",
        "local-treatment" => "#009E73",
        _ => "#CC79A7",
    };

    /// <summary>Kaplan–Meier curves over five years, with censoring ticks thinned to one per pixel.</summary>
    public static string KaplanMeier(IReadOnlyList<NamedCurve> curves, string title)
    {
        var svg = Open(Width, Height, title);
        double X(double months) => Left + months / Months * (Width - Left - Right);
        double Y(double survival) => Top + (1 - survival) * (Height - Top - Bottom);
        for (var p = 0; p <= 100; p += 25)
            svg.Append(Line(Left, Y(p / 100.0), Width - Right, Y(p / 100.0), "#ddd")).Append(Text(Left - 8, Y(p / 100.0) + 4, $"{p}%", "end"));
        for (var m = 0; m <= Months; m += 12)
            svg.Append(Line(X(m), Top, X(m), Height - Bottom, "#eee")).Append(Text(X(m), Height - Bottom + 16, $"{m}", "middle"));
        svg.Append(Text((Left + Width - Right) / 2.0, Height - 6, "months since the recurrence", "middle"));
        foreach (var (group, curve) in curves.Select(c => (c.Group, c.Curve)))
        {
            var end = Math.Min(curve.LastFollowUp / CohortAnalysis.DaysPerMonth, Months);
            var path = new StringBuilder($"M{F(X(0))},{F(Y(1))}");
            foreach (var step in curve.Steps.TakeWhile(s => s.Time / CohortAnalysis.DaysPerMonth <= Months))
            {
                path.Append(CultureInfo.InvariantCulture, $" H{F(X(step.Time / CohortAnalysis.DaysPerMonth))} V{F(Y(step.Survival))}");
            }
            path.Append(CultureInfo.InvariantCulture, $" H{F(X(end))}");
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{ColourOf(group)}\" stroke-width=\"2\"><title>{Escape(group)}</title></path>");
        }
        var legendY = Top + 8;
        foreach (var group in curves.Select(c => c.Group))
        {
            svg.Append(Line(Width - Right - 170, legendY, Width - Right - 150, legendY, ColourOf(group), 3))
               .Append(Text(Width - Right - 145, legendY + 4, group, "start"));
            legendY += 18;
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The flow of patients: read, with a liver metastasis, analysed, with the exclusions beside.</summary>
    public static string Flow(ValidationReport report)
    {
        var exclusions = report.ExclusionDetails;
        const int width = 960;
        var height = Math.Max(250, 70 + 18 * exclusions.Count);
        var svg = Open(width, height, "Flow of patients");
        string[] boxes =
        [
            $"Patients in the export: {report.Patients:N0}",
            $"With a liver metastasis on record: {report.WithCrlm:N0}",
            $"Analysed: {report.Eligible:N0}",
        ];
        for (var i = 0; i < boxes.Length; i++)
        {
            var y = 10 + i * 85;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"10\" y=\"{y}\" width=\"300\" height=\"44\" rx=\"6\" fill=\"#f4f7fb\" stroke=\"#4a6a8a\"/>")
               .Append(Text(160, y + 27, boxes[i], "middle"));
            if (i < boxes.Length - 1)
                svg.Append(Line(160, y + 44, 160, y + 85, "#4a6a8a", 2));
        }
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"340\" y=\"10\" width=\"{width - 350}\" height=\"{height - 20}\" rx=\"6\" fill=\"#fff8f0\" stroke=\"#b07a3a\"/>")
           .Append(Text(352, 32, "Not analysed (a patient may have several reasons):", "start"));
        for (var i = 0; i < exclusions.Count; i++)
            svg.Append(Text(352, 54 + i * 18, $"{exclusions[i].Patients:N0} · {exclusions[i].Label}", "start"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The C-index with its interval beside the development cohort's.</summary>
    public static string Concordance(CIndexResult validated, CIndexResult decision)
    {
        const int height = 120;
        var svg = Open(Width, height, "Harrell's C-index");
        double X(double c) => Left + 150 + (c - 0.5) / 0.5 * (Width - Left - Right - 150);
        for (var c = 0.5; c <= 1.0001; c += 0.1)
            svg.Append(Line(X(c), 10, X(c), height - 30, "#eee")).Append(Text(X(c), height - 14, c.ToString("0.0", CultureInfo.InvariantCulture), "middle"));
        svg.Append(Line(X(validated.Paper ?? 0.707), 6, X(validated.Paper ?? 0.707), height - 30, "#555", 1.5, "4 3"))
           .Append(Text(X(validated.Paper ?? 0.707) + 4, 16, "Liu 2021 development cohort", "start"));
        (string Label, CIndexResult C, int Y)[] rows = [("score with treatment given", validated, 40), ("decision score", decision, 70)];
        foreach (var (label, c, y) in rows)
        {
            svg.Append(Text(Left + 140, y + 4, label, "end"));
            if (c.Estimate is not { } estimate)
                continue;
            svg.Append(Line(X(Clamp(c.Lower ?? estimate)), y, X(Clamp(c.Upper ?? estimate)), y, "#0072B2", 2))
               .Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(Clamp(estimate)))}\" cy=\"{y}\" r=\"5\" fill=\"#0072B2\"/>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static double Clamp(double c) => Math.Clamp(c, 0.5, 1);

    private static StringBuilder Open(int width, int height, string title) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Escape(title)}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">");

    private static string Line(double x1, double y1, double x2, double y2, string colour, double width = 1, string? dash = null) =>
        $"<line x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\" stroke=\"{colour}\" stroke-width=\"{F(width)}\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>";

    private static string Text(double x, double y, string text, string anchor) =>
        $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\">{Escape(text)}</text>";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
