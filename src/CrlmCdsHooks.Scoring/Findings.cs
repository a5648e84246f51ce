using System.Globalization;

namespace CrlmCdsHooks.Scoring;

/// <summary>
/// Reads each clinical item from the facts of an established recurrence, applying the SPEC's selection rules:
/// pathological N over clinical, lesions of the recurrence only, RAS from KRAS and NRAS, latest CEA since the hepatectomy.
/// Conflicting records are reported and leave the item unknown rather than being resolved silently.
/// </summary>
public sealed class Findings
{
    private readonly ClinicalFacts _facts;
    private readonly RecurrenceTimeline _timeline;
    private readonly IReadOnlyList<LesionMeasurement> _recurrenceLesions;

    /// <summary>Prepares the findings of one recurrence.</summary>
    public Findings(ClinicalFacts facts, RecurrenceTimeline timeline)
    {
        if (!timeline.RecurrenceEstablished)
            throw new ArgumentException("Findings need a dated hepatectomy and recurrence.", nameof(timeline));
        _facts = facts;
        _timeline = timeline;
        _recurrenceLesions = facts.LesionMeasurements
            .Where(m => m.Evidence.Date > timeline.HepatectomyDate && m.InLiver != false)
            .ToList();
        LargestLesion = _recurrenceLesions.MaxBy(m => m.LargestDiameterMm);
    }

    /// <summary>The largest liver lesion measured since the first hepatectomy, if any.</summary>
    public LesionMeasurement? LargestLesion { get; }

    /// <summary>N1–N2 primary: pathological category when recorded, clinical otherwise.</summary>
    public Finding NodePositivePrimary()
    {
        var pathological = _facts.NodalStagings.Where(s => s.Pathological).ToList();
        var used = pathological.Count > 0 ? pathological : _facts.NodalStagings.ToList();
        if (used.Count == 0)
            return Finding.Unknown("N category of the primary not recorded");

        var categories = string.Join(", ", used.Select(s => s.Category).Distinct());
        var evidence = used.Select(s => s.Evidence).ToList();
        if (used.Select(s => s.NodePositive).Distinct().Count() > 1)
            return new Finding(null, $"conflicting N categories: {categories}", evidence,
                ["The record holds conflicting N categories for the primary; resolve them in the record. Treated as unknown."]);

        string[] notes = pathological.Count == 0 ? ["Clinical N category used: no pathological N category on record."] : [];
        return new Finding(used[0].NodePositive, categories, evidence, notes);
    }

    /// <summary>Largest recurrent liver lesion strictly greater than the given size.</summary>
    public Finding LargestLesionOver(decimal millimetres) => LargestLesionIs(size => size > millimetres);

    /// <summary>Recurrence diagnosed strictly before the given number of calendar months after the first hepatectomy.</summary>
    public Finding RecurrenceWithinMonths(int months)
    {
        var value = $"recurrence {_timeline.MonthsToRecurrence()} months after the hepatectomy ({_timeline.HepatectomyDate:yyyy-MM-dd} to {_timeline.RecurrenceDate:yyyy-MM-dd})";
        return new Finding(_timeline.RecurredWithin(months), value, [_timeline.FirstHepatectomy!, _timeline.Recurrence!], []);
    }

    /// <summary>
    /// RAS mutation: present when KRAS or NRAS is reported mutated; absent when KRAS is reported wild type
    /// (NRAS wild type too, or not reported, which is noted); unknown otherwise or when a gene's results conflict.
    /// </summary>
    public Finding RasMutation()
    {
        var evidence = _facts.RasResults.Select(r => r.Evidence).ToList();
        var kras = GeneStatus(RasGene.Kras);
        var nras = GeneStatus(RasGene.Nras);
        var notes = new List<string>();
        foreach (var (gene, status) in new[] { ("KRAS", kras), ("NRAS", nras) })
            if (status == GeneResult.Conflicting)
                notes.Add($"Conflicting {gene} results on record; resolve them in the record. {gene} treated as unknown.");

        if (kras == GeneResult.Mutated || nras == GeneResult.Mutated)
            return new Finding(true, Mutated(kras, nras), evidence, notes);
        if (kras == GeneResult.WildType && nras == GeneResult.WildType)
            return new Finding(false, "KRAS and NRAS wild type", evidence, notes);
        if (kras == GeneResult.WildType && nras == GeneResult.NotReported)
        {
            notes.Add("NRAS was not reported: KRAS wild type alone is counted as RAS wild type, as the SPEC directs; an NRAS mutation would change this.");
            return new Finding(false, "KRAS wild type, NRAS not reported", evidence, notes);
        }
        return new Finding(null, evidence.Count == 0 ? "RAS status not recorded" : "RAS status not established", evidence, notes);
    }

    /// <summary>Number of recurrent liver lesions: the latest recorded count since the hepatectomy, else the distinct lesions measured.</summary>
    public (int? Count, Finding Source) RecurrentLesionCount()
    {
        var recorded = _facts.LesionCounts
            .Where(c => c.Evidence.Date > _timeline.HepatectomyDate)
            .MaxBy(c => c.Evidence.Date);
        if (recorded is not null)
            return (recorded.Count, new Finding(null, $"{recorded.Count} lesions (recorded count)", [recorded.Evidence], []));

        var lesions = _recurrenceLesions.GroupBy(m => m.LesionKey).ToList();
        if (lesions.Count == 0)
            return (null, Finding.Unknown("number of recurrent lesions not recorded"));
        return (lesions.Count, new Finding(null, $"{lesions.Count} lesions (counted from measurements)",
            _recurrenceLesions.Select(m => m.Evidence).ToList(),
            ["Counted from the distinct lesions measured since the hepatectomy; a lesion without a size record is not counted, so the count may be low."]));
    }

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
            ? Finding.Unknown("no liver lesion size recorded since the hepatectomy")
            : new Finding(test(LargestLesion.LargestDiameterMm),
                $"largest recurrent liver lesion {LargestLesion.LargestDiameterMm.ToString("0.#", CultureInfo.InvariantCulture)} mm",
                [LargestLesion.Evidence], []);

    private enum GeneResult { NotReported, Mutated, WildType, Conflicting }

    private GeneResult GeneStatus(RasGene gene)
    {
        var results = _facts.RasResults.Where(r => r.Gene == gene).Select(r => r.MutationPresent).Distinct().ToList();
        return results switch
        {
            [] => GeneResult.NotReported,
            [true] => GeneResult.Mutated,
            [false] => GeneResult.WildType,
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
