
namespace CrlmCdsHooks.Scoring;

/// <summary>Turns a risk group into what the card recommends (SPEC section 4), each statement with its source and label.</summary>
internal static class Recommendations
{
    public const string RepeatHepatectomy = "repeat-hepatectomy";
    public const string PercutaneousRfa = "percutaneous-rfa";

    public static Recommendation NotAssessed(string why) =>
        new(RecommendationKind.NotAssessed, $"Not assessed by the Liu 2021 model: {why}.", [], false, []);

    /// <summary>SPEC 7.4: the decision the model informs has been taken; say what was done and when, recommend nothing.</summary>
    public static Recommendation AlreadyTreated(TreatmentGiven given)
    {
        var what = $"{given.Treatment.Description}, {given.Treatment.Date:yyyy-MM-dd}";
        return given.IsLocalTreatment
            ? new(RecommendationKind.AlreadyTreated, $"Recurrence already treated locally ({what}): risk group shown as prognostic context only.", [], false,
                ["The recurrence was treated after it was diagnosed, so no treatment recommendation is made. The risk group is prognostic context: in the derivation cohort it separated survival, it does not judge the treatment given."])
            : new(RecommendationKind.AlreadyTreated, $"Liver-directed therapy already given ({what}): no treatment recommendation.", [], false,
                ["This therapy is not the model's local treatment (repeat resection or RFA), but the treatment decision the model informs has passed. The risk group is prognostic context only."]);
    }

    /// <param name="largeLesion">The "largest lesion over 3 cm" factor as scored (what-if included).</param>
    /// <param name="earlyRecurrence">The "early recurrence" factor as scored (what-if included).</param>
    public static Recommendation For(RiskGroup group, ScoreRange range, decimal threshold, Findings findings,
        SupportingScores supporting, IReadOnlyList<MissingInput> missing, bool? largeLesion, bool earlyRecurrence) => group switch
    {
        RiskGroup.Low => LowRisk(findings, supporting, largeLesion, earlyRecurrence),
        RiskGroup.High => HighRisk(),
        _ => new Recommendation(RecommendationKind.CompleteData,
            $"Risk group undetermined: record {string.Join(" and ", missing.Where(m => m.ChangesRiskGroup).Select(m => m.Needed))}.",
            [], false,
            [
                $"With the data on record the total (assuming local treatment) lies between {PointsText.Of(range.Min)} and {PointsText.Of(range.Max)}, on both sides of the threshold of {PointsText.Of(threshold)}.",
                .. missing.Where(m => m.ChangesRiskGroup).Select(m => m.Detail),
            ]),
    };

    private static Recommendation LowRisk(Findings findings, SupportingScores supporting, bool? largeLesion, bool early)
    {
        var details = new List<string>
        {
            "Repeat local treatment with radical intent is favoured for the low-risk group (Liu 2021), provided the MDT confirms the recurrence is technically resectable or ablatable. In the whole cohort of 300 (not the low-risk group alone, which the paper does not report separately), 1/3/5-year overall survival was 86.3/54.1/38.9% with local treatment vs 64.8/16.3/2.7% with chemotherapy alone (p < 0.001), counted from the start of treatment for the recurrence. Patients were not randomised: the chemotherapy-only group had declined local treatment.",
        };

        var largest = findings.LargestLesion?.LargestDiameterMm;
        string[] modalities;
        if (largeLesion == true)
        {
            modalities = [RepeatHepatectomy];
            var size = largest > 30 ? $"Largest recurrent lesion {largest:0.#} mm (> 30 mm)" : "Largest recurrent lesion assumed > 30 mm (what-if)";
            details.Add($"{size}: repeat hepatectomy. In the paper RFA was contraindicated above 3 cm.");
        }
        else
        {
            modalities = [RepeatHepatectomy, PercutaneousRfa];
            var size = largest switch
            {
                null => "Size of the largest recurrent lesion not recorded: RFA is an option only up to 30 mm.",
                > 30 => $"Largest recurrent lesion assumed <= 30 mm (what-if; the record says {largest:0.#} mm): repeat hepatectomy or percutaneous RFA.",
                _ => $"Largest recurrent lesion {largest:0.#} mm (<= 30 mm): repeat hepatectomy or percutaneous RFA.",
            };
            details.Add($"{size} In the paper RFA was preferred for deep lesions that would need extended parenchymal resection, and contraindicated next to major bile ducts or large vessels, or where the colon or gallbladder was closely adjacent.");
        }

        var fong = supporting.Fong.Score;
        var heavyBurden = fong.Min > 2;
        if (early)
            details.Add("Recurrence within 6 months of the hepatectomy: consider preoperative chemotherapy (the paper suggests two cycles), then local treatment, with response assessed by RECIST 1.1.");
        if (heavyBurden)
            details.Add($"Heavy tumour burden (clinical risk score {fong.Min} > 2, adapted to the recurrence): consider preoperative chemotherapy, then local treatment, with response assessed by RECIST 1.1.");
        else if (fong.Max > 2)
            details.Add($"The clinical risk score could exceed 2 once its unknown items are recorded (now {fong.Min} to {fong.Max}); above 2 the paper recommends preoperative chemotherapy.");

        var summary = modalities.Length == 1
            ? "Repeat local treatment favoured if the MDT confirms it is resectable: repeat hepatectomy"
            : "Repeat local treatment favoured if the MDT confirms it is resectable or ablatable: repeat hepatectomy or RFA";
        return new Recommendation(RecommendationKind.LocalTreatment, summary, modalities, early || heavyBurden, details);
    }

    private static Recommendation HighRisk() => new(RecommendationKind.SystemicTherapyFirst,
        "Discuss at the MDT; systemic therapy first is a reasonable option.", [], false,
        [
            "In the derivation cohort's high-risk group (total >= 13), local treatment did not significantly improve overall survival compared with systemic chemotherapy alone (median 21 vs 15 months, p = 0.126; Liu 2021). The size of that group was not reported: a non-significant difference is not proof of no benefit.",
            "Discuss at the multidisciplinary team meeting. Presenting systemic therapy as a reasonable first option is this service's reading of that result (interpretation), not a statement of the paper; local treatment is not ruled out.",
        ]);

}
