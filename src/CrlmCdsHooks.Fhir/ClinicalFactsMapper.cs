using System.Globalization;
using CrlmCdsHooks.Scoring;
using Hl7.Fhir.Model;
using Hl7.Fhir.Validation;
using Evidence = CrlmCdsHooks.Scoring.Evidence;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// Maps one patient's FHIR R4 resources to the clinical facts the models read, keeping each fact's source and date.
/// It reads codes through the <see cref="Terminology"/>, never free text; data it cannot use are reported as warnings.
/// </summary>
public sealed class ClinicalFactsMapper(Terminology terminology)
{
    private static readonly HashSet<string> MillimetreUnits = ["mm"];
    private static readonly HashSet<string> CentimetreUnits = ["cm"];
    private static readonly HashSet<string> CeaUnits = ["ng/mL", "ng/ml", "ug/L", "µg/L", "μg/L"];

    /// <summary>
    /// Maps the resources; a resource listed twice under the same reference counts once. A resource with an invalid
    /// element (kept by lenient parsing, failing when read) is skipped whole with a warning: nothing half-read is used.
    /// </summary>
    public ClinicalFacts Map(IEnumerable<SourcedResource> resources)
    {
        var state = new MappingState();
        foreach (var sourced in resources.DistinctBy(r => r.Reference))
        {
            var resourceState = new MappingState();
            try
            {
                MapResource(sourced, resourceState);
                state.Add(resourceState);
            }
            catch (Exception e) when (e is CodedValidationException or FormatException or InvalidCastException)
            {
                state.Warnings.Add($"{sourced.Reference}: not used, it holds an invalid element ({e.Message}).");
            }
        }
        return state.ToFacts();
    }

    private void MapResource(SourcedResource sourced, MappingState state)
    {
        switch (sourced.Resource)
        {
            case Condition condition when IsUsable(condition):
                MapCondition(condition, sourced.Reference, state);
                break;
            case Procedure procedure when procedure.Status == EventStatus.Completed:
                MapProcedure(procedure, sourced.Reference, state);
                break;
            case Observation observation when IsUsable(observation.Status):
                MapObservation(observation, sourced.Reference, state);
                break;
        }
    }

    private void MapCondition(Condition condition, string reference, MappingState state)
    {
        var display = Display(condition.Code);
        var date = DateOf(condition.Onset, reference, "onset", state);
        var evidence = new Evidence(reference, date, display);

        if (terminology.ColorectalPrimary.Matches(condition.Code))
            state.Primaries.Add(evidence);
        else if (terminology.LiverMetastasis.Matches(condition.Code))
            state.LiverMetastases.Add(evidence);
        else if (terminology.ExtrahepaticMetastasis.Matches(condition.Code))
            state.Extrahepatic.Add(evidence);
        else if (terminology.SecondaryNeoplasmAnySite.Matches(condition.Code))
        {
            if (condition.BodySite.Count == 0)
                state.Warnings.Add($"{reference}: secondary malignant neoplasm without a body site was not used; record the site.");
            else if (terminology.LiverBodySite.MatchesAny(condition.BodySite))
                state.LiverMetastases.Add(evidence);
            else
                state.Extrahepatic.Add(evidence with { Description = $"{display} ({Display(condition.BodySite[0])})" });
        }
    }

    private void MapProcedure(Procedure procedure, string reference, MappingState state)
    {
        var isResection = terminology.LiverResection.Matches(procedure.Code);
        if (!isResection && !terminology.LiverAblation.Matches(procedure.Code))
            return;
        var evidence = new Evidence(reference, DateOf(procedure.Performed, reference, "performed date", state), Display(procedure.Code));
        (isResection ? state.Resections : state.Ablations).Add(evidence);
    }

    private void MapObservation(Observation observation, string reference, MappingState state)
    {
        var code = observation.Code;
        var date = DateOf(observation.Effective, reference, "effective date", state);
        if (terminology.VariantAssessment.Matches(code))
            MapVariantAssessment(observation, reference, date, state);
        else if (terminology.KrasMutationResult.Matches(code))
            MapGeneResult(RasGene.Kras, observation, reference, date, state);
        else if (terminology.NrasMutationResult.Matches(code))
            MapGeneResult(RasGene.Nras, observation, reference, date, state);
        else if (terminology.TumorSize.Matches(code))
            MapTumorSize(observation, reference, date, state);
        else if (terminology.LiverLesionCount.Matches(code))
            MapLesionCount(observation, reference, date, state);
        else if (terminology.PathologicalN.Matches(code) || terminology.ClinicalN.Matches(code) || terminology.UnspecifiedN.Matches(code))
            MapNodalCategory(observation, reference, date, state);
        else if (terminology.Cea.Matches(code))
            MapCea(observation, reference, date, state);
    }

    private void MapVariantAssessment(Observation observation, string reference, DateOnly? date, MappingState state)
    {
        var genes = observation.Component
            .Where(c => terminology.GeneStudied.Matches(c.Code))
            .SelectMany(c => c.Value is CodeableConcept gene ? RasGenes(gene) : [])
            .Distinct()
            .ToList();
        if (genes.Count == 0)
            return; // a variant assessment of other genes
        if (MutationFound(observation.Value, reference, state) is not { } found)
            return;
        foreach (var gene in genes)
            state.Ras.Add(new RasResult(gene, found, new Evidence(reference, date, $"{gene.ToString().ToUpperInvariant()} {(found ? "mutation present" : "no mutation (absent)")}")));
    }

    private void MapGeneResult(RasGene gene, Observation observation, string reference, DateOnly? date, MappingState state)
    {
        if (MutationFound(observation.Value, reference, state) is { } found)
            state.Ras.Add(new RasResult(gene, found, new Evidence(reference, date, $"{gene.ToString().ToUpperInvariant()} {(found ? "mutation present" : "no mutation (absent)")}: {ValueText(observation.Value)}")));
    }

    private IEnumerable<RasGene> RasGenes(CodeableConcept gene)
    {
        if (terminology.KrasGene.Matches(gene)) yield return RasGene.Kras;
        if (terminology.NrasGene.Matches(gene)) yield return RasGene.Nras;
    }

    private bool? MutationFound(DataType? value, string reference, MappingState state)
    {
        if (value is CodeableConcept concept)
        {
            if (terminology.MutationPresent.Matches(concept)) return true;
            if (terminology.MutationAbsent.Matches(concept)) return false;
        }
        state.Warnings.Add($"{reference}: RAS result '{ValueText(value)}' is not a configured Present/Absent value and was not used; map the site's result codes in the terminology configuration.");
        return null;
    }

    private void MapTumorSize(Observation observation, string reference, DateOnly? date, MappingState state)
    {
        var quantity = observation.Component.FirstOrDefault(c => terminology.TumorLongestDimension.Matches(c.Code))?.Value as Quantity
            ?? observation.Value as Quantity;
        if (quantity?.Value is not { } value)
        {
            state.Warnings.Add($"{reference}: tumour size without a longest dimension was not used.");
            return;
        }
        var unit = quantity.Code ?? quantity.Unit ?? "";
        decimal? millimetres = MillimetreUnits.Contains(unit) ? value : CentimetreUnits.Contains(unit) ? value * 10 : null;
        if (millimetres is null)
        {
            state.Warnings.Add($"{reference}: tumour size in unit '{unit}' was not used (mm or cm expected).");
            return;
        }
        bool? inLiver = observation.BodySite is null ? null : terminology.LiverBodySite.Matches(observation.BodySite);
        var lesionKey = observation.Focus.FirstOrDefault()?.Reference ?? reference;
        state.Lesions.Add(new LesionMeasurement(millimetres.Value, lesionKey, inLiver,
            new Evidence(reference, date, $"tumour size {millimetres.Value.ToString("0.#", CultureInfo.InvariantCulture)} mm")));
    }

    private static void MapLesionCount(Observation observation, string reference, DateOnly? date, MappingState state)
    {
        int? count = observation.Value switch
        {
            Integer { Value: { } whole } => whole,
            Quantity { Value: { } q } when q == Math.Floor(q) => (int)q,
            _ => null,
        };
        if (count is { } n and >= 0)
            state.LesionCounts.Add(new LesionCount(n, new Evidence(reference, date, $"{n} liver lesions")));
        else
            state.Warnings.Add($"{reference}: liver lesion count '{ValueText(observation.Value)}' is not a whole number and was not used.");
    }

    private void MapNodalCategory(Observation observation, string reference, DateOnly? date, MappingState state)
    {
        if (observation.Value is not CodeableConcept value || NodePositive(value) is not { } positive)
        {
            state.Warnings.Add($"{reference}: N category '{ValueText(observation.Value)}' could not be read as N0, N1 or N2 and was not used.");
            return;
        }
        var pathological = terminology.PathologicalN.Matches(observation.Code)
            || (!terminology.ClinicalN.Matches(observation.Code) && IsPathologicalValue(value));
        var category = Display(value);
        state.Nodal.Add(new NodalStaging(positive, category, pathological,
            new Evidence(reference, date, $"{(pathological ? "pathological" : "clinical")} N category {category}")));
    }

    private bool? NodePositive(CodeableConcept value)
    {
        if (terminology.NodePositive.Matches(value)) return true;
        if (terminology.NodeNegative.Matches(value)) return false;
        // AJCC codes name the category directly: N0, N1, N1a … N2b, optionally prefixed c/p/y.
        var ajcc = value.Coding.FirstOrDefault(c => c.System == Terminology.Ajcc)?.Code?.TrimStart('c', 'p', 'y');
        return ajcc switch
        {
            not null when ajcc.StartsWith("N0", StringComparison.Ordinal) => false,
            not null when ajcc.StartsWith("N1", StringComparison.Ordinal) || ajcc.StartsWith("N2", StringComparison.Ordinal) => true,
            _ => null,
        };
    }

    private static bool IsPathologicalValue(CodeableConcept value) => value.Coding.Any(c =>
        (c.System == Terminology.Snomed && c.Code is { } code && Terminology.PathologicalNodeValues.Contains(code))
        || (c.System == Terminology.Ajcc && c.Code?.StartsWith('p') == true));

    private static void MapCea(Observation observation, string reference, DateOnly? date, MappingState state)
    {
        if (observation.Value is Quantity { Value: { } value } quantity && CeaUnits.Contains(quantity.Code ?? quantity.Unit ?? ""))
            state.Cea.Add(new CeaResult(value, new Evidence(reference, date, $"CEA {value.ToString("0.##", CultureInfo.InvariantCulture)} ng/mL")));
        else
            state.Warnings.Add($"{reference}: CEA '{ValueText(observation.Value)}' was not used (ng/mL or ug/L expected; ng/L is rejected, not converted).");
    }

    private static bool IsUsable(Condition condition) =>
        condition.VerificationStatus?.Coding.Any(c => c.Code is "entered-in-error" or "refuted") != true;

    private static bool IsUsable(ObservationStatus? status) =>
        status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled);

    /// <summary>The day a clinical date falls on, as recorded; null (with a warning) when it is not recorded to the day.</summary>
    private static DateOnly? DateOf(DataType? value, string reference, string what, MappingState state)
    {
        var text = value switch
        {
            FhirDateTime dateTime => dateTime.Value,
            Period period => period.Start,
            Date date => date.Value,
            _ => null,
        };
        if (text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day;
        state.Warnings.Add(text is null
            ? $"{reference}: no {what} recorded."
            : $"{reference}: {what} '{text}' is not precise to the day and was not used as a date.");
        return null;
    }

    private static string Display(CodeableConcept? concept) =>
        concept?.Text ?? concept?.Coding.Select(c => c.Display ?? c.Code).FirstOrDefault(d => d is not null) ?? "(uncoded)";

    private static string ValueText(DataType? value) => value switch
    {
        CodeableConcept concept => Display(concept),
        FhirString s => s.Value ?? "",
        Quantity q => $"{q.Value} {q.Code ?? q.Unit}",
        null => "(no value)",
        _ => value.ToString() ?? value.TypeName,
    };

    private sealed class MappingState
    {
        public List<Evidence> Primaries { get; } = [];
        public List<Evidence> LiverMetastases { get; } = [];
        public List<Evidence> Extrahepatic { get; } = [];
        public List<Evidence> Resections { get; } = [];
        public List<Evidence> Ablations { get; } = [];
        public List<NodalStaging> Nodal { get; } = [];
        public List<RasResult> Ras { get; } = [];
        public List<LesionMeasurement> Lesions { get; } = [];
        public List<LesionCount> LesionCounts { get; } = [];
        public List<CeaResult> Cea { get; } = [];
        public List<string> Warnings { get; } = [];

        public void Add(MappingState other)
        {
            Primaries.AddRange(other.Primaries);
            LiverMetastases.AddRange(other.LiverMetastases);
            Extrahepatic.AddRange(other.Extrahepatic);
            Resections.AddRange(other.Resections);
            Ablations.AddRange(other.Ablations);
            Nodal.AddRange(other.Nodal);
            Ras.AddRange(other.Ras);
            Lesions.AddRange(other.Lesions);
            LesionCounts.AddRange(other.LesionCounts);
            Cea.AddRange(other.Cea);
            Warnings.AddRange(other.Warnings);
        }

        public ClinicalFacts ToFacts() => new()
        {
            ColorectalPrimaries = Primaries,
            LiverMetastases = LiverMetastases,
            ExtrahepaticMetastases = Extrahepatic,
            LiverResections = Resections,
            LiverAblations = Ablations,
            NodalStagings = Nodal,
            RasResults = Ras,
            LesionMeasurements = Lesions,
            LesionCounts = LesionCounts,
            CeaResults = Cea,
            DataWarnings = Warnings,
        };
    }
}
