using System.Globalization;
using CrlmCdsHooks.Scoring;
using Evidence = CrlmCdsHooks.Scoring.Evidence;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// Maps one patient's FHIR R4 resources to the clinical facts the models read, keeping each fact's source and date
/// (SPEC 7.1 and 7.6). Codes are read as concepts through the <see cref="Terminology"/>; a record that looks clinically
/// relevant but cannot be classified becomes a review item (SPEC 7.7), never silence.
/// </summary>
/// <param name="clock">Today, for the latest plausible date; the system clock when not given.</param>
public sealed class ClinicalFactsMapper(Terminology terminology, TimeProvider? clock = null)
{
    private static readonly HashSet<string> CeaUnits = ["ng/mL", "ng/ml", "ug/L", "µg/L", "μg/L"];

    // Plausible clinical ranges: a value outside them is a recording error, never a measurement, and is a review item.
    private const decimal LargestPlausibleLesionMm = 300;
    private const int MostPlausibleLesions = 100;
    private const decimal HighestPlausibleCea = 100_000;

    /// <summary>
    /// Maps the resources; a resource listed twice under the same reference counts once. A resource with an invalid
    /// element (kept by lenient parsing, failing when read) is skipped whole with a warning: nothing half-read is used.
    /// </summary>
    public ClinicalFacts Map(IEnumerable<SourcedResource> resources)
    {
        var distinct = resources.DistinctBy(r => r.Reference).ToList();
        var today = DateOnly.FromDateTime((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        var state = new MappingState(new RecordDates(today.AddDays(1)));
        // One resource's facts, kept apart until the whole resource is read; reused, as most resources add nothing.
        var resourceState = new MappingState(state.Dates);
        // Conditions and body structures first, so an Observation's focus can be placed in or outside the liver.
        foreach (var sourced in distinct.Where(r => r.TypeName != "Observation"))
            MapGuarded(sourced, state, resourceState);
        foreach (var sourced in distinct.Where(r => r.TypeName == "Observation"))
            MapGuarded(sourced, state, resourceState);
        return state.ToFacts();
    }

    private void MapGuarded(SourcedResource sourced, MappingState state, MappingState resourceState)
    {
        resourceState.Clear();
        try
        {
            MapOne(sourced, resourceState, state.Sites);
            // An unusable date matters only on a record the models read; on any other it is noise, like the record.
            if (resourceState.ReadsAsClinicalFact)
            {
                resourceState.Review.AddRange(resourceState.UnusableDates);
                state.Add(resourceState);
            }
            else
                state.Warnings.AddRange(resourceState.Warnings);
        }
        catch (InvalidFhirElementException e)
        {
            var invalid = PlainText.Clip(e.Message, PlainText.RecordLength);
            state.Review.Add(new ReviewItem(sourced.Reference, $"a record that could not be read ({sourced.TypeName})",
                $"it holds an invalid element ({invalid}) and was not used; if it is relevant, it could change the answer"));
        }
    }

    private void MapOne(SourcedResource sourced, MappingState state, LesionSites sites)
    {
        var resource = sourced.Resource;
        switch (sourced.TypeName)
        {
            case "Condition" when IsUsableCondition(resource):
                MapCondition(resource, sourced.Reference, state, sites);
                break;
            case "Procedure" when resource.Code("status", ProcedureStatuses) == "completed":
                MapProcedure(resource, sourced.Reference, state);
                break;
            case "BodyStructure" when resource.Node("location") is { } location:
                sites.Place(sourced.Reference, terminology.LiverBodySite.Matches(Concept(location)));
                break;
            case "Observation" when resource.Code("status", ObservationStatuses) is not ("entered-in-error" or "cancelled"):
                MapObservation(resource, sourced.Reference, state, sites);
                break;
        }
    }

    // ---- Conditions: primary, liver metastasis, extrahepatic and nodal disease, or a review item (SPEC 7.1, 7.5, 7.7)

    private void MapCondition(FhirNode condition, string reference, MappingState state, LesionSites sites)
    {
        var code = Concept(condition.Node("code"));
        var onset = DateOf(condition, "onsetDateTime", "onsetPeriod", reference, code, "onset", state, warnIfMissing: false);
        var recorded = onset is null ? DateOf(condition, "recordedDate", null, reference, code, "recorded date", state, warnIfMissing: false) : null;
        if (onset is null && recorded is null)
            state.Warnings.Add($"{reference}: no onset or recorded date to the day.");
        var evidence = new Evidence(reference, onset ?? recorded, Display(code)) { Kind = "diagnosis" };
        var diagnosis = new Diagnosis(evidence, StateOf(condition),
            DateOf(condition, "abatementDateTime", "abatementPeriod", reference, code, "abatement", state, warnIfMissing: false),
            DatedByRecordedDate: onset is null && recorded is not null)
        {
            RecordedAsRecurrence = condition.Node("clinicalStatus")?.Nodes("coding").Any(c => c.StringValue("code") is "recurrence" or "relapse") == true
                || terminology.RecurrentDisease.Matches(code),
        };

        var nonAdenocarcinoma = terminology.ColorectalNonAdenocarcinoma.Matches(code);
        if (nonAdenocarcinoma || terminology.ColorectalPrimary.Matches(code))
        {
            state.Primaries.Add(diagnosis);
            if (nonAdenocarcinoma || Histology(condition) is { } other && !IsAdenocarcinoma(other))
                state.Review.Add(ReviewItem.About(evidence, "a colorectal cancer recorded as other than adenocarcinoma: the model was derived on adenocarcinoma"));
            MapStageOfPrimary(condition, evidence, state);
        }
        else if (terminology.LiverMetastasis.Matches(code))
            AddPlaced(diagnosis, inLiver: true, reference, state, sites);
        else if (terminology.SecondaryLymphNode.Matches(code))
        {
            state.LymphNodes.Add(diagnosis);
            sites.Place(reference, false);
        }
        else if (terminology.ExtrahepaticMetastasis.Matches(code))
            AddPlaced(diagnosis, inLiver: false, reference, state, sites);
        else if (terminology.SecondaryNeoplasmAnySite.Matches(code) || terminology.RecurrentDisease.Matches(code))
            MapByBodySite(condition, diagnosis, reference, state, sites);
        else if (diagnosis.State != ClinicalState.Resolved && LooksMalignant(code))
            state.Review.Add(ReviewItem.About(evidence,
                "a malignant condition the service cannot classify: it may be extrahepatic disease (then the model does not apply) or the liver metastasis itself; code it with a standard code"));
        else if (condition.Nodes("bodySite").Count > 0)
            sites.Place(reference, terminology.LiverBodySite.MatchesAny(condition.Nodes("bodySite")));
    }

    private const string HistologyExtension = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior";

    private CodedConcept? Histology(FhirNode condition) =>
        condition.Nodes("extension").FirstOrDefault(e => e.StringValue("url") == HistologyExtension)?.Node("valueCodeableConcept") is { } histology
            ? Concept(histology) : null;

    private bool IsAdenocarcinoma(CodedConcept histology) =>
        terminology.AdenocarcinomaHistology.Matches(histology)
        || histology.Words().Contains("adenocarcinoma", StringComparison.Ordinal);

    /// <summary>A generic secondary neoplasm or recurrent disease is placed by its body site (SPEC 7.5).</summary>
    private void MapByBodySite(FhirNode condition, Diagnosis diagnosis, string reference, MappingState state, LesionSites sites)
    {
        var bodySites = condition.Nodes("bodySite");
        if (bodySites.FirstOrDefault() is not { } firstSite)
        {
            state.Review.Add(ReviewItem.About(diagnosis.Evidence,
                "a secondary neoplasm or recurrence without a body site: it cannot be placed in or outside the liver; record the site"));
            return;
        }
        var inLiver = terminology.LiverBodySite.MatchesAny(bodySites);
        var site = Display(Concept(firstSite));
        AddPlaced(diagnosis with { Evidence = diagnosis.Evidence with { Description = $"{diagnosis.Evidence.Description} ({site})" } },
            inLiver, reference, state, sites);
    }

    private static void AddPlaced(Diagnosis diagnosis, bool inLiver, string reference, MappingState state, LesionSites sites)
    {
        (inLiver ? state.LiverMetastases : state.Extrahepatic).Add(diagnosis);
        sites.Place(reference, inLiver);
    }

    /// <summary>An N category given in the primary's <c>Condition.stage</c> counts as the primary's (SPEC 7.6).</summary>
    private void MapStageOfPrimary(FhirNode condition, Evidence primary, MappingState state)
    {
        foreach (var stage in condition.Nodes("stage"))
            if (stage.Node("summary") is { } node && Concept(node) is var summary && NodeCategory(summary) is { } positive)
                state.Nodal.Add(NodalStaging(positive, summary, pathological: terminology.PathologicalNodeValue.Matches(summary),
                    primary with { Description = $"N category in the diagnosis {primary.Description}" }));
    }

    /// <summary>
    /// SPEC 7.7: relevant when it carries an ICD-10 C-chapter code or names a malignancy in words. Our choices: "benign" and
    /// "history of" texts are not listed (a benign tumour or a past cancer is not active extrahepatic disease).
    /// </summary>
    private static bool LooksMalignant(CodedConcept code)
    {
        if (code.Codings.Any(c => c.Code is { } value && value.StartsWith('C') && c.System is "http://hl7.org/fhir/sid/icd-10" or "http://hl7.org/fhir/sid/icd-10-cm"))
            return true;
        var words = code.Words();
        return MalignancyWords.Any(words.Contains) && !words.Contains("benign", StringComparison.Ordinal) && !words.Contains("history of", StringComparison.Ordinal);
    }

    private static readonly string[] MalignancyWords =
        ["malignan", "neoplasm", "cancer", "carcinoma", "tumour", "tumor", "metasta", "sarcoma", "lymphoma", "melanoma", "leukaemia", "leukemia"];

    // ---- Procedures (SPEC 7.1, 7.2, 7.4)

    private void MapProcedure(FhirNode procedure, string reference, MappingState state)
    {
        var code = Concept(procedure.Node("code"));
        if (terminology.LiverBiopsy.Matches(code))
            return; // a biopsy or diagnostic excision is never a resection or a treatment
        var performed = DateOf(procedure, "performedDateTime", "performedPeriod", reference, code, "performed date", state, warnIfMissing: false);
        var evidence = new Evidence(reference, performed, Display(code)) { Kind = "procedure" };
        var lists = Classify(procedure, code).ToList();
        if (lists.Count > 0 && evidence.Date is null)
            state.Warnings.Add($"{reference}: no performed date to the day.");
        foreach (var list in lists)
            list(state).Add(evidence);
        if (lists.Count == 0 && LooksLikeLiverTreatment(code))
            state.Review.Add(ReviewItem.About(evidence,
                "a liver procedure the service cannot classify: if it resected or ablated liver disease, it changes which recurrence this is"));
    }

    /// <summary>
    /// Where a procedure belongs. A code in both the staging and the other-therapy sets (a generic embolisation code) goes
    /// to both: the timeline reads staging only between resections and other therapy only after the recurrence. Other
    /// therapy given at a recorded non-liver body site is not liver-directed.
    /// </summary>
    private IEnumerable<Func<MappingState, List<Evidence>>> Classify(FhirNode procedure, CodedConcept code)
    {
        if (terminology.LiverResection.Matches(code))
            yield return s => s.Resections;
        else if (terminology.LiverAblation.Matches(code))
            yield return s => s.Ablations;
        else if (terminology.PrimaryResection.Matches(code))
            yield return s => s.PrimaryResections;
        else
        {
            if (terminology.LiverStagingProcedure.Matches(code))
                yield return s => s.StagingProcedures;
            if (terminology.OtherLiverDirectedTherapy.Matches(code)
                && (procedure.Nodes("bodySite") is var bodySites && (bodySites.Count == 0 || terminology.LiverBodySite.MatchesAny(bodySites))))
                yield return s => s.OtherTherapies;
        }
    }

    private static bool LooksLikeLiverTreatment(CodedConcept code)
    {
        var words = code.Words();
        return (words.Contains("liver", StringComparison.Ordinal) || words.Contains("hepat", StringComparison.Ordinal))
            && LiverTreatmentWords.Any(words.Contains) && !words.Contains("biopsy", StringComparison.Ordinal);
    }

    private static readonly string[] LiverTreatmentWords = ["resect", "ectomy", "ablat", "excision", "emboli", "radiother", "radiation"];

    // ---- Observations (SPEC 7.5, 7.6, 7.7)

    /// <summary>How one kind of Observation is read, once its code has placed it.</summary>
    private delegate void ObservationReading(FhirNode observation, CodedConcept code, string reference, Func<DateOnly?> date,
        MappingState state, LesionSites sites);

    /// <summary>The kinds of Observation the models read, each by its value set; the first whose set holds the code reads it.</summary>
    // Stryker disable once all : equivalent, a cache of values that do not change
    private (CodeSet Codes, ObservationReading Read)[] ObservationKinds => field ??=
    [
        (terminology.VariantAssessment, (o, _, r, date, s, _) => MapVariantAssessment(o, r, date, s)),
        (terminology.KrasMutationResult, (o, _, r, date, s, _) => AddRasResult(RasGene.Kras, o, r, date(), s)),
        (terminology.NrasMutationResult, (o, _, r, date, s, _) => AddRasResult(RasGene.Nras, o, r, date(), s)),
        (terminology.TumorSize, (o, _, r, date, s, sites) => MapTumorSize(o, r, date(), s, sites)),
        (terminology.LiverLesionCount, (o, _, r, date, s, _) => MapLesionCount(o, r, date(), s)),
        (terminology.PathologicalN, (o, code, r, date, s, _) => MapNodalCategory(o, code, r, date(), s)),
        (terminology.ClinicalN, (o, code, r, date, s, _) => MapNodalCategory(o, code, r, date(), s)),
        (terminology.UnspecifiedN, (o, code, r, date, s, _) => MapNodalCategory(o, code, r, date(), s)),
        (terminology.DistantMetastasisCategory, (o, _, r, date, s, _) => MapDistantMetastasis(o, r, date(), s)),
        (terminology.Cea, (o, _, r, date, s, _) => MapCea(o, r, date(), s)),
    ];

    // Stryker disable once all : equivalent, a cache of values that do not change
    private CodeGate ObservationGate => field ??= new CodeGate([.. ObservationKinds.Select(k => k.Codes)]);

    private void MapObservation(FhirNode observation, string reference, MappingState state, LesionSites sites)
    {
        var codeNode = observation.Node("code");
        // Most of a long record is no kind the models read: turned away before its code is read whole, and never dated.
        // Stryker disable once Statement : equivalent, the gate only saves the full look-up below, which finds nothing either
        if (!ObservationGate.MayHold(codeNode))
            return;
        var code = Concept(codeNode);
        foreach (var (codes, read) in ObservationKinds)
            if (codes.Matches(code))
            {
                read(observation, code, reference,
                    () => DateOf(observation, "effectiveDateTime", "effectivePeriod", reference, code, "effective date", state, warnIfMissing: true),
                    state, sites);
                return;
            }
    }

    private void MapVariantAssessment(FhirNode observation, string reference, Func<DateOnly?> dateOf, MappingState state)
    {
        var genes = new List<RasGene>(2);
        foreach (var component in observation.Nodes("component"))
            if (terminology.GeneStudied.Matches(Concept(component.Node("code"))))
                genes.AddRange(RasGenes(component).Except(genes));
        if (genes.Count == 0)
            return; // a variant assessment of other genes
        var date = dateOf();
        foreach (var gene in genes)
            AddRasResult(gene, observation, reference, date, state);
    }

    /// <summary>A variant's clinical significance, when reported, decides; otherwise the Present/Absent value (SPEC 7.6).</summary>
    private void AddRasResult(RasGene gene, FhirNode observation, string reference, DateOnly? date, MappingState state)
    {
        var name = gene.ToString().ToUpperInvariant();
        var evidence = new Evidence(reference, date, $"{name}: {ValueText(observation)}") { Kind = "molecular result" };
        var significance = observation.Nodes("component").FirstOrDefault(c => terminology.VariantSignificance.Matches(Concept(c.Node("code"))))
            ?.Node("valueCodeableConcept") is { } node ? Concept(node) : null;
        RasCall? call = significance is not null
            ? terminology.VariantPathogenic.Matches(significance) ? RasCall.Mutation
                : terminology.VariantBenign.Matches(significance) ? RasCall.NoMutation
                : terminology.VariantUncertain.Matches(significance) ? RasCall.UncertainSignificance
                : null
            : observation.Node("valueCodeableConcept") is { } valueNode && Concept(valueNode) is var value
                ? terminology.MutationPresent.Matches(value) ? RasCall.Mutation
                    : terminology.MutationAbsent.Matches(value) ? RasCall.NoMutation
                    : null
                : null;
        if (call is not { } known)
        {
            state.Review.Add(ReviewItem.About(evidence, $"a {name} result the service cannot read (neither a coded Present/Absent nor a known clinical significance): it may decide RAS status"));
            return;
        }
        var words = known switch
        {
            RasCall.Mutation => "mutation present",
            RasCall.NoMutation => significance is null ? "no mutation (absent)" : "benign variant only, no mutation",
            _ => "variant of uncertain significance",
        };
        var detail = significance is null ? ValueText(observation) : Display(significance);
        state.Ras.Add(new RasResult(gene, known, evidence with { Description = $"{name} {words}: {detail}" }));
    }

    /// <summary>The RAS genes a component names, as a coded concept or as a bare gene symbol.</summary>
    private IEnumerable<RasGene> RasGenes(FhirNode component)
    {
        var concept = component.Node("valueCodeableConcept") is { } node ? Concept(node) : null;
        var text = concept is null ? component.StringValue("valueString") : null;
        if (Names(terminology.KrasGene, concept, text)) yield return RasGene.Kras;
        if (Names(terminology.NrasGene, concept, text)) yield return RasGene.Nras;
    }

    private static bool Names(CodeSet gene, CodedConcept? concept, string? text) =>
        concept is not null ? gene.Matches(concept) || gene.NamedBy(concept) : gene.NamedBy(text);

    private void MapTumorSize(FhirNode observation, string reference, DateOnly? date, MappingState state, LesionSites sites)
    {
        var inLiver = LiverPlacement(observation, sites);
        if (inLiver == false)
            return; // a lesion outside the liver is not a liver lesion size
        var kind = Kind(observation, "tumour measurement");
        var quantity = observation.Nodes("component").FirstOrDefault(c => terminology.TumorLongestDimension.Matches(Concept(c.Node("code"))))?.Node("valueQuantity")
            ?? observation.Node("valueQuantity");
        var evidence = new Evidence(reference, date, "tumour size") { Kind = kind };
        if (quantity?.DecimalValue("value") is not { } value)
        {
            state.Warnings.Add($"{reference}: tumour size without a longest dimension was not used.");
            return;
        }
        var unit = UnitOf(quantity.Value);
        decimal? millimetresPerUnit = unit switch { "mm" => 1, "cm" => 10, _ => null };
        var recorded = evidence with { Description = PlainText.Clip($"tumour size {value.ToString(CultureInfo.InvariantCulture)} {unit}", PlainText.RecordLength) };
        if (millimetresPerUnit is not { } perUnit)
        {
            state.Review.Add(ReviewItem.About(recorded,
                "a liver lesion size in a unit the service cannot convert (mm or cm expected): it may decide the > 3 cm factor"));
            return;
        }
        // Compared in the record's own unit, so no conversion of an absurd value can overflow.
        if (value <= 0 || value > LargestPlausibleLesionMm / perUnit)
        {
            state.Review.Add(ReviewItem.About(recorded,
                $"not a plausible liver lesion size (more than 0 and at most {LargestPlausibleLesionMm / 10:0} cm expected) and not used: it may decide the > 3 cm factor"));
            return;
        }
        var millimetres = value * perUnit;
        var lesionKey = observation.Nodes("focus").FirstOrDefault()?.StringValue("reference") ?? reference;
        state.Lesions.Add(new LesionMeasurement(millimetres, lesionKey, inLiver,
            evidence with { Description = $"tumour size {millimetres.ToString("0.#", CultureInfo.InvariantCulture)} mm" })
        {
            Preliminary = observation.StringValue("status") is "preliminary" or "registered",
        });
    }

    /// <summary>
    /// In the liver when the body site is the liver or a part of it, or a focus is a liver Condition or BodyStructure;
    /// outside when the body site or a focus is elsewhere; null when the record does not say (SPEC 7.6).
    /// </summary>
    private bool? LiverPlacement(FhirNode observation, LesionSites sites)
    {
        if (observation.Node("bodySite") is { } bodySite && bodySite.Nodes("coding").Count > 0)
            return terminology.LiverBodySite.Matches(Concept(bodySite));
        bool? inLiver = null;
        foreach (var focus in observation.Nodes("focus"))
            if (sites.Of(focus.StringValue("reference")) is { } placed)
                inLiver = (inLiver ?? true) && placed;
        return inLiver;
    }

    private void MapLesionCount(FhirNode observation, string reference, DateOnly? date, MappingState state)
    {
        decimal? count = observation.IntegerValue("valueInteger") is { } whole ? whole
            : observation.Node("valueQuantity")?.DecimalValue("value") is { } q && q == Math.Floor(q) ? q
            : null;
        var evidence = new Evidence(reference, date, $"liver lesion count {ValueText(observation)}") { Kind = Kind(observation, "lesion count") };
        if (count is > 0 and <= MostPlausibleLesions)
            state.LesionCounts.Add(new LesionCount((int)count.Value, evidence with { Description = $"{(int)count.Value} liver lesions" }));
        else
            state.Review.Add(ReviewItem.About(evidence,
                $"not a plausible number of liver lesions (a whole number from 1 to {MostPlausibleLesions} expected) and not used: it may change the supporting scores"));
    }

    private void MapNodalCategory(FhirNode observation, CodedConcept code, string reference, DateOnly? date, MappingState state)
    {
        var value = observation.Node("valueCodeableConcept") is { } node ? Concept(node) : null;
        if (value is { } notPrimary && terminology.NodeValueNotPrimary.Matches(notPrimary))
        {
            state.Warnings.Add($"{reference}: N category {Display(notPrimary)} stages a recurrence, not the primary, and was not read as the primary's N.");
            return;
        }
        if (value is not { } category || NodeCategory(category) is not { } positive)
        {
            state.Warnings.Add($"{reference}: N category '{ValueText(observation)}' could not be read as N0, N1 or N2 and was not used.");
            return;
        }
        var pathological = terminology.PathologicalN.Matches(code) || terminology.PathologicalNodeValue.Matches(category);
        state.Nodal.Add(NodalStaging(positive, category, pathological,
            new Evidence(reference, date, "") { Kind = pathological ? "pathology report" : "clinical staging" }));
    }

    private bool? NodeCategory(CodedConcept value) =>
        terminology.NodePositive.Matches(value) ? true : terminology.NodeNegative.Matches(value) ? false : null;

    private NodalStaging NodalStaging(bool positive, CodedConcept value, bool pathological, Evidence evidence)
    {
        var category = Display(value, terminology.NodePositive, terminology.NodeNegative);
        var description = evidence.Description.Length > 0 ? evidence.Description : $"{(pathological ? "pathological" : "clinical")} N category {category}";
        return new NodalStaging(positive, category, pathological, evidence with { Description = description });
    }

    private void MapDistantMetastasis(FhirNode observation, string reference, DateOnly? date, MappingState state)
    {
        if (observation.Node("valueCodeableConcept") is not { } node)
            return;
        var value = Concept(node);
        DistantMetastasisCategory? category = terminology.DistantMetastasisBeyondLiver.Matches(value) ? DistantMetastasisCategory.BeyondLiver
            : terminology.DistantMetastasisUnplaced.Matches(value) ? DistantMetastasisCategory.Unplaced
            : null;
        if (category is { } known)
            state.DistantStagings.Add(new DistantMetastasisStaging(known,
                new Evidence(reference, date, $"M category {Display(value, terminology.DistantMetastasisBeyondLiver, terminology.DistantMetastasisUnplaced)}") { Kind = "staging" }));
    }

    private void MapCea(FhirNode observation, string reference, DateOnly? date, MappingState state)
    {
        var quantity = observation.Node("valueQuantity");
        if (quantity?.DecimalValue("value") is not { } value || !CeaUnits.Contains(UnitOf(quantity.Value)))
            state.Warnings.Add($"{reference}: CEA '{ValueText(observation)}' was not used (ng/mL or ug/L expected; ng/L is rejected, not converted).");
        else if (value is < 0 or > HighestPlausibleCea)
            state.Review.Add(ReviewItem.About(new Evidence(reference, date, $"CEA {QuantityText(quantity.Value)}") { Kind = "laboratory result" },
                $"not a plausible CEA (0 to {HighestPlausibleCea:#,0} ng/mL expected) and not used: it may change the supporting scores"));
        else
            state.Cea.Add(new CeaResult(value, new Evidence(reference, date, $"CEA {value.ToString("0.##", CultureInfo.InvariantCulture)} ng/mL") { Kind = "laboratory result" }));
    }

    // ---- Shared reading rules

    // FHIR R4's required bindings: any other status is an invalid element, so the record is not used.
    private static readonly HashSet<string> ProcedureStatuses =
        ["preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "entered-in-error", "unknown"];
    private static readonly HashSet<string> ObservationStatuses =
        ["registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"];

    private static bool IsUsableCondition(FhirNode condition) =>
        condition.Node("verificationStatus")?.Nodes("coding").Any(c => c.StringValue("code") is "entered-in-error" or "refuted") != true;

    private static ClinicalState StateOf(FhirNode condition) =>
        condition.Node("clinicalStatus")?.Nodes("coding").FirstOrDefault()?.StringValue("code") switch
        {
            "active" or "recurrence" or "relapse" => ClinicalState.Active,
            "inactive" or "remission" or "resolved" => ClinicalState.Resolved,
            _ => ClinicalState.Unknown,
        };

    private static string Kind(FhirNode observation, string otherwise)
    {
        foreach (var category in observation.Nodes("category"))
            foreach (var coding in category.Nodes("coding"))
                switch (coding.StringValue("code"))
                {
                    case "imaging": return "imaging report";
                    case "laboratory": return "pathology or laboratory report";
                }
        return otherwise;
    }

    /// <summary>
    /// The day a clinical date falls on, as recorded. A date not recorded to the day is null with a warning; a malformed
    /// or implausible one is null and waits as a review item, kept if the record turns out to be one the models read.
    /// </summary>
    /// <param name="code">What the record is, named only when its date is unusable (the rare case, off the hot path).</param>
    /// <param name="dateTime">The element of type dateTime, e.g. <c>onsetDateTime</c>.</param>
    /// <param name="period">The element of type Period of the same choice, read by its start; null when the element has none.</param>
    private static DateOnly? DateOf(FhirNode resource, string dateTime, string? period, string reference, CodedConcept code, string what,
        MappingState state, bool warnIfMissing)
    {
        var text = resource.StringValue(dateTime) ?? (period is null ? null : resource.Node(period)?.StringValue("start"));
        if (text is null)
        {
            if (warnIfMissing)
                state.Warnings.Add($"{reference}: no {what} recorded.");
            return null;
        }
        var read = state.Dates.Read(text);
        if (read.Unusable is { } problem)
            state.UnusableDates.Add(new ReviewItem(reference, $"{Display(code)}, {what} '{PlainText.Clip(text, 40)}'",
                $"the date {problem}, so it was not used: correct it, since a date can decide the recurrence interval and which treatment came first"));
        else if (read.Day is null)
            state.Warnings.Add($"{reference}: {what} '{text}' is not precise to the day and was not used as a date.");
        return read.Day;
    }

    private CodedConcept Concept(FhirNode? concept) => terminology.Concept(concept);

    private string ValueText(FhirNode observation) => RecordText.ValueText(observation, terminology);

    private static string Display(CodedConcept concept, params CodeSet[] namedBy) => RecordText.Display(concept, namedBy);

    private static string QuantityText(FhirNode quantity) => RecordText.QuantityText(quantity);

    private static string UnitOf(FhirNode quantity) => RecordText.UnitOf(quantity);
}
