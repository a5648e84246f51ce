using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// Reads the MDT view's context from one patient's resources (<see cref="MdtContext"/>). What the models also read
/// (liver sizes, lesion counts, CEA, KRAS/NRAS) comes from the same mapping the assessment uses, so the two never
/// disagree; the rest (CA 19-9, BRAF, MSI, margins, systemic therapy) is classified here through the shipped value sets.
/// A record that cannot be read is left out with a warning, never guessed at.
/// </summary>
/// <param name="clock">Today, for the latest plausible date; the system clock when not given.</param>
public sealed class MdtContextReader(Terminology terminology, ClinicalFactsMapper mapper, TimeProvider? clock = null)
{
    // UCUM and common spellings of units per millilitre (kU/L is the same number).
    private static readonly HashSet<string> Ca199Units = ["U/mL", "[U]/mL", "U/ml", "kU/L", "k[U]/L"];
    private static readonly HashSet<string> MedicationTypes = ["MedicationRequest", "MedicationStatement", "MedicationAdministration"];

    /// <summary>The context of the resources, with warnings about records left out.</summary>
    public MdtContext Read(IEnumerable<SourcedResource> resources)
    {
        var distinct = resources.DistinctBy(r => r.Reference).ToList();
        var facts = mapper.Map(distinct);
        var byReference = distinct.ToDictionary(r => r.Reference, r => r.Resource, StringComparer.Ordinal);
        var reading = new Reading(terminology, new RecordDates(DateOnly.FromDateTime((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime).AddDays(1)), byReference);
        foreach (var sourced in distinct)
        {
            try
            {
                if (sourced.TypeName == "Observation")
                    reading.Observation(sourced.Resource, sourced.Reference);
                else if (MedicationTypes.Contains(sourced.TypeName))
                    reading.Medication(sourced.TypeName, sourced.Resource, sourced.Reference);
            }
            catch (InvalidFhirElementException e)
            {
                reading.Warnings.Add($"{sourced.Reference}: left out, it holds an invalid element ({PlainText.Clip(e.Message, PlainText.RecordLength)}).");
            }
        }

        return new MdtContext
        {
            TimelineEvents = OldestFirst(
            [
                .. facts.ColorectalPrimaries.Select(d => new TimelineEvent("Colorectal primary diagnosed", d.Evidence)),
                .. facts.PrimaryResections.Select(e => new TimelineEvent("Resection of the primary", e)),
                .. facts.LiverResections.Select(e => new TimelineEvent("Liver resection", e)),
                .. facts.LiverStagingProcedures.Select(e => new TimelineEvent("Staging procedure for a resection (portal vein occlusion, ALPPS first stage)", e)),
                .. facts.LiverAblations.Select(e => new TimelineEvent("Liver ablation", e)),
                .. facts.OtherLiverDirectedTherapies.Select(e => new TimelineEvent("Other liver-directed therapy", e)),
            ], e => e.Evidence),
            LesionSizes = OldestFirst(facts.LesionMeasurements.Select(m => new LesionSize(m.LargestDiameterMm,
                reading.LiverSiteOf(m.Evidence.Reference), m.Preliminary, m.Evidence)), s => s.Evidence),
            LesionCounts = OldestFirst(facts.LesionCounts, c => c.Evidence),
            Markers =
            [
                .. new[]
                {
                    new MarkerSeries("CEA", "ng/mL", OldestFirst(facts.CeaResults.Select(c => new MarkerValue(c.NanogramsPerMillilitre, c.Evidence)), v => v.Evidence), []),
                    new MarkerSeries("CA 19-9", "U/mL", OldestFirst(reading.Ca199, v => v.Evidence), OldestFirst(reading.Ca199NotCharted, e => e)),
                }.Where(m => m.Values.Count + m.NotCharted.Count > 0),
            ],
            Molecular = OldestFirst(facts.RasResults.Select(r => new MolecularResult(r.Gene.ToString().ToUpperInvariant(), RasWords(r.Call),
                reading.VariantOf(r.Evidence.Reference), r.Evidence)).Concat(reading.Molecular), m => m.Evidence),
            SystemicTherapy = OldestFirst(reading.Therapy, t => t.Evidence),
            OtherMedicationRecords = reading.OtherMedications,
            ResectionMargins = OldestFirst(reading.Margins, e => e),
            Warnings = reading.Warnings,
        };
    }

    private static string RasWords(RasCall call) => call switch
    {
        RasCall.Mutation => "mutation",
        RasCall.NoMutation => "no mutation",
        _ => "variant of uncertain significance",
    };

    /// <summary>Oldest first; undated records last, in the record's order.</summary>
    private static List<T> OldestFirst<T>(IEnumerable<T> items, Func<T, Evidence> evidence) =>
        [.. items.OrderBy(i => evidence(i).Date is null).ThenBy(i => evidence(i).Date)];

    /// <summary>One read of the resources: what was found so far.</summary>
    private sealed class Reading(Terminology terminology, RecordDates dates, IReadOnlyDictionary<string, FhirNode> byReference)
    {
        public List<MarkerValue> Ca199 { get; } = [];
        public List<Evidence> Ca199NotCharted { get; } = [];
        public List<MolecularResult> Molecular { get; } = [];
        public List<SystemicTherapy> Therapy { get; } = [];
        public List<Evidence> Margins { get; } = [];
        public List<string> Warnings { get; } = [];
        public int OtherMedications { get; private set; }

        // Stryker disable once all : equivalent, a cache of values that do not change
        private (CodeSet Set, string Name)[] AgentClasses => field ??=
        [
            (terminology.AgentOxaliplatin, "oxaliplatin"),
            (terminology.AgentIrinotecan, "irinotecan"),
            (terminology.AgentFluoropyrimidine, "fluoropyrimidine"),
            (terminology.AgentAntiEgfr, "anti-EGFR antibody"),
            (terminology.AgentAntiVegf, "anti-VEGF agent"),
        ];

        public void Observation(FhirNode observation, string reference)
        {
            if (observation.StringValue("status") is "entered-in-error" or "cancelled")
                return;
            var code = terminology.Concept(observation.Node("code"));
            var evidence = new Evidence(reference, DateOf(observation, "effectiveDateTime", "effectivePeriod"), "") { Kind = "laboratory result" };
            if (terminology.Ca199.Matches(code))
                Ca199Result(observation, evidence);
            else if (terminology.MicrosatelliteInstability.Matches(code))
                Molecular.Add(new MolecularResult("microsatellite instability", RecordText.ValueText(observation, terminology), null,
                    evidence with { Description = $"microsatellite instability: {RecordText.ValueText(observation, terminology)}", Kind = "molecular result" }));
            else if (terminology.VariantAssessment.Matches(code) && NamesBraf(observation))
                BrafResult(observation, evidence);
            else if (terminology.ResectionMargin.Matches(code))
                Margins.Add(evidence with { Description = $"resection margin: {RecordText.ValueText(observation, terminology)}", Kind = "pathology report" });
        }

        private void Ca199Result(FhirNode observation, Evidence evidence)
        {
            var quantity = observation.Node("valueQuantity");
            if (quantity?.DecimalValue("value") is { } value && value >= 0 && Ca199Units.Contains(RecordText.UnitOf(quantity.Value)))
                Ca199.Add(new MarkerValue(value, evidence with { Description = $"CA 19-9 {value:0.##} U/mL" }));
            else
                Ca199NotCharted.Add(evidence with { Description = $"CA 19-9 {RecordText.ValueText(observation, terminology)} (not in U/mL: not charted)" });
        }

        private bool NamesBraf(FhirNode observation) =>
            observation.Nodes("component").Any(c => terminology.GeneStudied.Matches(terminology.Concept(c.Node("code")))
                && (c.Node("valueCodeableConcept") is { } gene
                    ? terminology.Concept(gene) is var concept && (terminology.BrafGene.Matches(concept) || terminology.BrafGene.NamedBy(concept))
                    : terminology.BrafGene.NamedBy(c.StringValue("valueString"))));

        private void BrafResult(FhirNode observation, Evidence evidence)
        {
            var significance = observation.Nodes("component").FirstOrDefault(c => terminology.VariantSignificance.Matches(terminology.Concept(c.Node("code"))));
            var result = significance is { } component
                ? ValueNamedBy(component, terminology.VariantPathogenic, terminology.VariantBenign, terminology.VariantUncertain)
                : ValueNamedBy(observation, terminology.MutationPresent, terminology.MutationAbsent);
            var variant = VariantOf(observation);
            Molecular.Add(new MolecularResult("BRAF", result, variant,
                evidence with { Description = $"BRAF: {result}{(variant is null ? "" : $", {variant}")}", Kind = "molecular result" }));
        }

        /// <summary>A value in words; a coded value without a display is named by the value set that holds it.</summary>
        private string ValueNamedBy(FhirNode observation, params CodeSet[] sets) =>
            observation.Node("valueCodeableConcept") is { } value
                ? RecordText.Display(terminology.Concept(value), sets)
                : RecordText.ValueText(observation, terminology);

        /// <summary>The HGVS changes a variant Observation reports, amino acid first.</summary>
        public string? VariantOf(string reference) => byReference.TryGetValue(reference, out var observation) ? VariantOf(observation) : null;

        private string? VariantOf(FhirNode observation)
        {
            var changes = new List<string>();
            foreach (var component in observation.Nodes("component"))
                if (terminology.VariantChange.Matches(terminology.Concept(component.Node("code"))))
                    changes.Add(RecordText.ValueText(component, terminology));
            return changes.Count == 0 ? null : string.Join(", ", changes);
        }

        /// <summary>The lobe or segment a liver measurement names by its body site, when coded as a part of the liver.</summary>
        public string? LiverSiteOf(string reference) =>
            byReference.TryGetValue(reference, out var observation) && observation.Node("bodySite") is { } site
                && terminology.Concept(site) is var concept && terminology.LiverBodySite.Matches(concept)
                ? RecordText.Display(concept, terminology.LiverBodySite) : null;

        public void Medication(string type, FhirNode record, string reference)
        {
            var status = record.StringValue("status") ?? "status not recorded";
            if (status == "entered-in-error")
                return;
            if (MedicationOf(record) is not { } medication)
            {
                OtherMedications++;
                Warnings.Add($"{reference}: a medication record whose medication is not in the record read (a reference to a Medication not included); its agent is unknown.");
                return;
            }
            var classes = AgentClasses.Where(a => a.Set.Matches(medication) || a.Set.NamedWithin(medication)).Select(a => a.Name).ToList();
            if (classes.Count == 0)
            {
                OtherMedications++;
                return;
            }
            var (kind, date) = type switch
            {
                "MedicationRequest" => ("medication order", DateOf(record, "authoredOn", null)),
                "MedicationStatement" => ("medication statement", DateOf(record, "effectiveDateTime", "effectivePeriod")),
                _ => ("medication administration", DateOf(record, "effectiveDateTime", "effectivePeriod")),
            };
            Therapy.Add(new SystemicTherapy(classes, status, new Evidence(reference, date, RecordText.Display(medication)) { Kind = kind }));
        }

        /// <summary>The medication's code: inline, in a contained Medication, or in a Medication read with the record.</summary>
        private CodedConcept? MedicationOf(FhirNode record)
        {
            if (record.Node("medicationCodeableConcept") is { } inline)
                return terminology.Concept(inline);
            var target = record.Node("medicationReference")?.StringValue("reference");
            if (target is null)
                return null;
            var medication = target.StartsWith('#')
                ? record.Nodes("contained").FirstOrDefault(c => c.StringValue("id") == target[1..])
                : byReference.TryGetValue(ResourceReference.TypeAndId(target), out var found) ? found : null;
            return medication?.Node("code") is { } code ? terminology.Concept(code) : null;
        }

        private DateOnly? DateOf(FhirNode resource, string dateTime, string? period)
        {
            var text = resource.StringValue(dateTime) ?? (period is null ? null : resource.Node(period)?.StringValue("start"));
            return text is null ? null : dates.Read(text).Day;
        }
    }
}
