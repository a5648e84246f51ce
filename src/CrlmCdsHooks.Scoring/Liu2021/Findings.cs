using System.Globalization;

namespace CrlmCdsHooks.Scoring;

/// <summary>
/// Reads each clinical item of an established recurrence by the SPEC's value rules (7.6): pathological N over clinical,
/// the size at recurrence (final over preliminary), RAS from KRAS and NRAS with variant significance, latest CEA.
/// Conflicting records are reported and leave the item unknown; values used with doubt become review items.
/// </summary>
public sealed class Findings
{
    /// <summary>Sizes dated up to this many days after the recurrence date are its size (SPEC 7.6).</summary>
    public const int SizeWindowDays = 90;

    private readonly ClinicalFacts _facts;
    private readonly RecurrenceTimeline _timeline;
    private readonly IReadOnlyList<LesionMeasurement> _recurrenceLesions;
    private readonly List<ReviewItem> _review = [];

    /// <summary>Prepares the findings of one recurrence.</summary>
    public Findings(ClinicalFacts facts, RecurrenceTimeline timeline)
    {
        if (!timeline.RecurrenceEstablished)
            throw new ArgumentException("Findings need a dated hepatectomy and recurrence.", nameof(timeline));
        _facts = facts;
        _timeline = timeline;
        _recurrenceLesions = SizeAtRecurrence(facts, timeline);
        LargestLesion = _recurrenceLesions.MaxBy(m => m.LargestDiameterMm);
        if (LargestLesion is { Preliminary: true } preliminary)
            _review.Add(ReviewItem.About(preliminary.Evidence, "a preliminary result is the only size on record for the largest lesion: confirm it against the final report"));
    }

    /// <summary>The largest liver lesion measured at recurrence, if any.</summary>
    public LesionMeasurement? LargestLesion { get; }

    /// <summary>Values used with doubt, for the clinician to check.</summary>
    public IReadOnlyList<ReviewItem> Review => _review;

    /// <summary>
    /// Liver sizes from the recurrence date to <see cref="SizeWindowDays"/> days after it and before any treatment of it;
    /// of one date, final (amended, corrected) results beat preliminary ones.
    /// </summary>
    private static List<LesionMeasurement> SizeAtRecurrence(ClinicalFacts facts, RecurrenceTimeline timeline)
    {
        var from = timeline.RecurrenceDate;
        var treated = timeline.TreatmentGiven?.Treatment.Date;
        return facts.LesionMeasurements
            .Where(m => m.InLiver != false && m.Evidence.Date is { } date
                && date >= from && date.DayNumber - from.DayNumber <= SizeWindowDays && !(date >= treated))
            .GroupBy(m => m.Evidence.Date)
            .SelectMany(sameDay => sameDay.Any(m => !m.Preliminary) ? sameDay.Where(m => !m.Preliminary) : sameDay)
            .ToList();
    }

    /// <summary>
    /// N1–N2 primary: pathological category when recorded, clinical otherwise; N categories recorded after the index
    /// hepatectomy are not the primary's. With no N category, a regional lymph node metastasis of the primary counts.
    /// </summary>
    public Finding NodePositivePrimary()
    {
        var primary = _facts.NodalStagings.Where(s => !(s.Evidence.Date > _timeline.Index!.Start)).ToList();
        string[] later = primary.Count < _facts.NodalStagings.Count
            ? ["An N category recorded after the hepatectomy was not read as the primary's (it may stage a later lymphadenectomy)."]
            : [];
        var pathological = primary.Where(s => s.Pathological).ToList();
        var used = pathological.Count > 0 ? pathological : primary;
        if (used.Count == 0)
        {
            if (_timeline.RegionalNodes.Count > 0)
                return new Finding(true, "regional lymph node metastasis of the primary", [.. _timeline.RegionalNodes.Select(n => n.Evidence)],
                    [.. later, "No N category on record: read from a lymph node metastasis diagnosed up to the resection of the primary."]);
            return new Finding(null, "N category of the primary not recorded", [], later);
        }

        var categories = string.Join(", ", used.Select(s => s.Category).Distinct());
        var evidence = used.Select(s => s.Evidence).ToList();
        if (used.Select(s => s.NodePositive).Distinct().Count() > 1)
            return new Finding(null, $"conflicting N categories: {categories}", evidence,
                [.. later, "The record holds conflicting N categories for the primary; resolve them in the record. Treated as unknown."]);

        string[] clinical = pathological.Count == 0 ? ["Clinical N category used: no pathological N category on record."] : [];
        return new Finding(used[0].NodePositive, categories, evidence, [.. later, .. clinical]);
    }

    /// <summary>Largest recurrent lesion strictly greater than the given size.</summary>
    public Finding LargestLesionOver(decimal millimetres) => LargestLesionIs(size => size > millimetres);

    /// <summary>
    /// Recurrence first seen strictly before the given number of calendar months after the index hepatectomy; unknown (and a
    /// review item) when the imaging that found it and the recorded onset fall on different sides of the boundary.
    /// </summary>
    public Finding RecurrenceWithinMonths(int months, bool review = false)
    {
        var recurrence = _timeline.Recurrence!;
        var value = $"recurrence {_timeline.MonthsToRecurrence()} months after the hepatectomy ({_timeline.HepatectomyDate:yyyy-MM-dd} to {_timeline.RecurrenceDate:yyyy-MM-dd})";
        List<Evidence> evidence = [_timeline.Index!.LastStage, recurrence.Diagnosis.Evidence];
        if (recurrence.FoundOnImaging is { } imaging)
            evidence.Add(imaging);
        var within = _timeline.RecurredWithin(months);
        if (within is null)
        {
            if (review)
                _review.Add(ReviewItem.About(recurrence.Diagnosis.Evidence,
                    $"imaging of {_timeline.RecurrenceDate:yyyy-MM-dd} and the diagnosis of {recurrence.Onset:yyyy-MM-dd} fall on different sides of {months} months after the hepatectomy: confirm when the recurrence was first seen"));
            return new Finding(null, $"{value}; diagnosis recorded {recurrence.Onset:yyyy-MM-dd}, on the other side of {months} months", evidence, []);
        }
        string[] notes = recurrence.FoundOnImaging is null ? [] : [$"Dated by the imaging that found it ({_timeline.RecurrenceDate:yyyy-MM-dd}), before the diagnosis was recorded ({recurrence.Onset:yyyy-MM-dd})."];
        return new Finding(within, value, evidence, notes);
    }

    /// <summary>
    /// RAS mutation: present when KRAS or NRAS has a mutation; absent only when both have no mutation found; otherwise
    /// unknown. A KRAS-only wild type leaves RAS unknown (SPEC 7.6); a gene with only a variant of uncertain significance
    /// is unknown and named. A gene whose results conflict is unknown.
    /// </summary>
    public Finding RasMutation()
    {
        var evidence = _facts.RasResults.Select(r => r.Evidence).ToList();
        var kras = GeneStatus(RasGene.Kras);
        var nras = GeneStatus(RasGene.Nras);
        var notes = new List<string>();
        foreach (var (gene, status) in new[] { (RasGene.Kras, kras), (RasGene.Nras, nras) })
        {
            var name = gene.ToString().ToUpperInvariant();
            if (status == GeneResult.Conflicting)
                notes.Add($"Conflicting {name} results on record; resolve them in the record. {name} treated as unknown.");
            if (status == GeneResult.UncertainOnly)
            {
                // Stryker disable once Linq : equivalent, a gene with only a variant of uncertain significance has a result
                var vus = _facts.RasResults.First(r => r.Gene == gene);
                notes.Add($"{name}: only a variant of uncertain significance ({vus.Evidence.Description}); discuss it with molecular pathology rather than re-testing.");
                _review.Add(ReviewItem.About(vus.Evidence, $"{name} variant of uncertain significance: not counted as a mutation, so RAS status is unknown; discuss with molecular pathology"));
            }
        }

        if (kras == GeneResult.Mutated || nras == GeneResult.Mutated)
            return new Finding(true, Mutated(kras, nras), evidence, notes);
        if (kras == GeneResult.NoMutation && nras == GeneResult.NoMutation)
            return new Finding(false, "KRAS and NRAS wild type", evidence, notes);
        if (kras == GeneResult.NoMutation && nras == GeneResult.NotReported)
        {
            notes.Add("NRAS was not reported: KRAS wild type alone leaves RAS unknown. Extended RAS testing (KRAS and NRAS exons 2, 3 and 4) is advised.");
            return new Finding(null, "KRAS wild type, NRAS not reported", evidence, notes);
        }
        return new Finding(null, evidence.Count == 0 ? "RAS status not recorded" : "RAS status not established", evidence, notes);
    }

    /// <summary>Number of recurrent liver lesions: the latest recorded count since the hepatectomy, else the distinct lesions measured at recurrence.</summary>
    public (int? Count, Finding Source) RecurrentLesionCount()
    {
        var recorded = _facts.LesionCounts
            .Where(c => c.Evidence.Date > _timeline.HepatectomyDate)
            .MaxBy(c => c.Evidence.Date);
        if (recorded is not null)
            return (recorded.Count, new Finding(null, $"{Lesions(recorded.Count)} (recorded count)", [recorded.Evidence], []));

        var lesions = _recurrenceLesions.GroupBy(m => m.LesionKey).ToList();
        if (lesions.Count == 0)
            return (null, Finding.Unknown("number of recurrent lesions not recorded"));
        return (lesions.Count, new Finding(null, $"{Lesions(lesions.Count)} (counted from measurements)",
            _recurrenceLesions.Select(m => m.Evidence).ToList(),
            ["Counted from the distinct lesions measured at recurrence; a lesion without a size record is not counted, so the count may be low."]));
    }

    private static string Lesions(int count) => count == 1 ? "1 lesion" : $"{count} lesions";

    /// <summary>Latest CEA since the first hepatectomy above the given value in ng/mL.</summary>
    public Finding CeaAbove(decimal nanogramsPerMillilitre)
    {
        var latest = _facts.CeaResults
            .Where(c => c.Evidence.Date > _timeline.HepatectomyDate)
            .MaxBy(c => c.Evidence.Date);
        return latest is null
            ? Finding.Unknown("no CEA since the hepatectomy")
            : new Finding(latest.NanogramsPerMillilitre > nanogramsPerMillilitre,
                $"CEA {latest.NanogramsPerMillilitre.ToString("0.##", CultureInfo.InvariantCulture)} ng/mL", [latest.Evidence], []);
    }

    /// <summary>Whether the largest recurrent liver lesion, in millimetres, passes a test.</summary>
    public Finding LargestLesionIs(Func<decimal, bool> test) =>
        LargestLesion is null
            ? Finding.Unknown("no liver lesion size recorded at recurrence")
            : new Finding(test(LargestLesion.LargestDiameterMm),
                $"largest recurrent liver lesion {LargestLesion.LargestDiameterMm.ToString("0.#", CultureInfo.InvariantCulture)} mm",
                [LargestLesion.Evidence], []);

    private enum GeneResult { NotReported, Mutated, NoMutation, UncertainOnly, Conflicting }

    /// <summary>A gene's status from all its results: a variant of uncertain significance beside a clear result does not change it.</summary>
    private GeneResult GeneStatus(RasGene gene)
    {
        var calls = _facts.RasResults.Where(r => r.Gene == gene).Select(r => r.Call).Distinct().ToList();
        var clear = calls.Where(c => c != RasCall.UncertainSignificance).ToList();
        return clear switch
        {
            [] => calls.Count == 0 ? GeneResult.NotReported : GeneResult.UncertainOnly,
            [RasCall.Mutation] => GeneResult.Mutated,
            [RasCall.NoMutation] => GeneResult.NoMutation,
            _ => GeneResult.Conflicting,
        };
    }

    private static string Mutated(GeneResult kras, GeneResult nras) => (kras, nras) switch
    {
        (GeneResult.Mutated, GeneResult.Mutated) => "KRAS and NRAS mutation present",
        (GeneResult.Mutated, _) => "KRAS mutation present",
        _ => "NRAS mutation present",
    };
}
