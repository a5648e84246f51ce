using System.Globalization;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Validation.Demo;

/// <summary>Why a synthetic patient was made: an analysable patient, or one of the exclusions the tool must find.</summary>
public enum SyntheticCase
{
    /// <summary>A first, liver-limited recurrence after a hepatectomy, with every factor recorded.</summary>
    Eligible,
    /// <summary>A lung metastasis after the hepatectomy (the model does not apply).</summary>
    ExtrahepaticDisease,
    /// <summary>No KRAS/NRAS result (the full score is unknown).</summary>
    RasNotTested,
    /// <summary>A hepatectomy and no liver recurrence after it.</summary>
    NoRecurrence,
    /// <summary>A colorectal cancer with no liver metastasis.</summary>
    NoLiverMetastasis,
}

/// <summary>What the generator decided for one patient: the truth a test compares the tool's reading with.</summary>
/// <param name="FollowUpDays">Days from the recurrence to death or to the last follow-up record.</param>
public sealed record SyntheticPatient(string Id, SyntheticCase Case, bool NodePositive, bool LargeLesion, bool EarlyRecurrence,
    bool RasMutation, bool LocalTreatment, int FollowUpDays, bool Died);

/// <summary>
/// A synthetic recurrent-CRLM cohort written as FHIR R4 resources: factor prevalences from the derivation cohort where
/// Liu 2021 reports them, survival drawn from a proportional-hazards (exponential) model with the paper's multivariable
/// hazard ratios. For demonstrations and tests only: these are not patients.
/// </summary>
public sealed class SyntheticCohort(int seed)
{
    /// <summary>Node-positive primary: 86 of 300 in Liu 2021 Table 1.</summary>
    public const double NodePositiveShare = 86 / 300.0;
    /// <summary>RAS mutation: 111 of 300 in Liu 2021 Table 1.</summary>
    public const double RasMutationShare = 111 / 300.0;
    /// <summary>Local treatment (repeat resection or RFA): 173 of 300 in Liu 2021.</summary>
    public const double LocalTreatmentShare = 173 / 300.0;
    /// <summary>Largest lesion over 3 cm: not reported by the paper (mean sizes 15.6–23.1 mm); an assumption.</summary>
    public const double LargeLesionShare = 0.22;
    /// <summary>Recurrence within 6 months: not reported by the paper; an assumption.</summary>
    public const double EarlyRecurrenceShare = 0.30;
    /// <summary>
    /// Monthly death hazard with no factor and no local treatment. Chosen so that the treatment groups' 1-, 3- and 5-year
    /// survival comes near the paper's (local treatment 86.3/54.1/38.9%, chemotherapy only 64.8/16.3/2.7%).
    /// </summary>
    public const double BaselineMonthlyHazard = 0.029;

    private const double DaysPerMonth = 365.25 / 12;
    private static readonly DateOnly FirstDiagnosis = new(2006, 1, 1);
    private readonly Random _random = new(seed);
    private int _next;

    /// <summary>The next patient, with the resources an EHR's Bulk Data export would hold for them.</summary>
    public (SyntheticPatient Truth, IReadOnlyList<JsonObject> Resources) Next()
    {
        var id = $"synthetic-{++_next:D6}";
        var kind = Pick();
        var model = ModelDefinition.Liu2021;
        bool nodePositive = Chance(NodePositiveShare), large = Chance(LargeLesionShare), early = Chance(EarlyRecurrenceShare),
            ras = Chance(RasMutationShare), local = Chance(LocalTreatmentShare);
        var treatmentDay = _random.Next(14, 81);
        double logHazard = 0;
        foreach (var (present, factor) in new[] { nodePositive, large, early, ras }.Zip(model.Factors))
            logHazard += present ? Math.Log((double)factor.HazardRatio) : 0;
        logHazard += local ? Math.Log((double)model.NoLocalTreatment.HazardRatio) : 0;
        var dailyHazard = BaselineMonthlyHazard / DaysPerMonth * Math.Exp(logHazard);
        var survival = Math.Max(1, (int)Math.Ceiling(-Math.Log(1 - _random.NextDouble()) / dailyHazard));
        var studyEnd = _random.Next(183, 8 * 365);
        var died = survival <= studyEnd;
        var followUp = died ? survival : studyEnd;
        // A patient who dies before the planned local treatment does not get it, and the record says so.
        local &= survival > treatmentDay;

        var diagnosed = FirstDiagnosis.AddDays(_random.Next(0, 3650));
        var hepatectomy = diagnosed.AddDays(_random.Next(30, 150));
        var recurrence = hepatectomy.AddDays(early ? _random.Next(95, 171) : _random.Next(200, 1100));
        var r = new List<JsonObject>
        {
            Patient(id, died ? recurrence.AddDays(followUp) : null),
            Condition($"{id}-primary", id, Snomed, "363406005", "Malignant tumor of colon", diagnosed),
            Observation($"{id}-pn", id, "laboratory", Code(Snomed, "371494008", "Tumor-node-metastasis (TNM) pathological regional lymph node category"), diagnosed.AddDays(14),
                new JsonObject { ["valueCodeableConcept"] = Code(Snomed, nodePositive ? "1229951001" : "1229947003", nodePositive ? "pN1 category (finding)" : "pN0 category (finding)") }),
        };
        if (kind != SyntheticCase.RasNotTested)
            r.Add(RasResult($"{id}-ras", id, diagnosed.AddDays(21), ras));
        if (kind != SyntheticCase.NoLiverMetastasis)
        {
            r.Add(Condition($"{id}-liver-met", id, Snomed, "94381002", "Secondary malignant neoplasm of liver", diagnosed, Liver()));
            r.Add(Procedure($"{id}-hepatectomy", id, Snomed, "107963000", "Liver excision", hepatectomy));
        }
        if (kind is not (SyntheticCase.NoRecurrence or SyntheticCase.NoLiverMetastasis))
        {
            r.Add(Condition($"{id}-recurrence", id, Snomed, "94381002", "Secondary malignant neoplasm of liver", recurrence, Liver()));
            // Sizes stay clear of 29–31 mm, where the engine asks to confirm a measurement that decides the group.
            var sizeMm = large ? _random.Next(32, 81) : _random.Next(8, 29);
            r.Add(Observation($"{id}-size", id, "imaging", Code(Loinc, "21889-1", "Size Tumor"), recurrence, new JsonObject
            {
                ["bodySite"] = Liver()[0]!.DeepClone(),
                ["valueQuantity"] = new JsonObject { ["value"] = sizeMm, ["unit"] = "mm", ["system"] = "http://unitsofmeasure.org", ["code"] = "mm" },
            }));
            if (local)
                r.Add(_random.Next(2) == 0
                    ? Procedure($"{id}-repeat-resection", id, Snomed, "107963000", "Liver excision", recurrence.AddDays(treatmentDay))
                    : Procedure($"{id}-rfa", id, "http://www.ama-assn.org/go/cpt", "47382", "Ablation, 1 or more liver tumor(s), percutaneous, radiofrequency", recurrence.AddDays(treatmentDay)));
        }
        if (kind == SyntheticCase.ExtrahepaticDisease)
            r.Add(Condition($"{id}-lung-met", id, "http://hl7.org/fhir/sid/icd-10-cm", "C78.00", "Secondary malignant neoplasm of unspecified lung", recurrence.AddDays(-5)));
        if (!died)
            r.Add(Observation($"{id}-last-cea", id, "laboratory", Code(Loinc, "2039-6", "Carcinoembryonic Ag [Mass/volume] in Serum or Plasma"), recurrence.AddDays(followUp),
                new JsonObject { ["valueQuantity"] = new JsonObject { ["value"] = 3.1, ["unit"] = "ng/mL", ["system"] = "http://unitsofmeasure.org", ["code"] = "ng/mL" } }));

        return (new SyntheticPatient(id, kind, nodePositive, large, early, ras, local, followUp, died), r);
    }

    private SyntheticCase Pick() => _random.NextDouble() switch
    {
        < 0.86 => SyntheticCase.Eligible,
        < 0.90 => SyntheticCase.ExtrahepaticDisease,
        < 0.94 => SyntheticCase.RasNotTested,
        < 0.97 => SyntheticCase.NoRecurrence,
        _ => SyntheticCase.NoLiverMetastasis,
    };

    private bool Chance(double share) => _random.NextDouble() < share;

    private const string Snomed = "http://snomed.info/sct";
    private const string Loinc = "http://loinc.org";

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonObject Code(string system, string code, string display) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }) };

    private static JsonArray Liver() => [Code(Snomed, "10200004", "Liver structure")];

    private static JsonObject Subject(string patient) => new() { ["reference"] = $"Patient/{patient}" };

    private static JsonObject Patient(string id, DateOnly? died)
    {
        var patient = new JsonObject { ["resourceType"] = "Patient", ["id"] = id, ["gender"] = "unknown" };
        if (died is { } day)
            patient["deceasedDateTime"] = Day(day);
        return patient;
    }

    private static JsonObject Condition(string id, string patient, string system, string code, string display, DateOnly onset, JsonArray? bodySite = null)
    {
        var condition = new JsonObject
        {
            ["resourceType"] = "Condition",
            ["id"] = id,
            ["clinicalStatus"] = Code("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
            ["verificationStatus"] = Code("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed"),
            ["code"] = Code(system, code, display),
            ["subject"] = Subject(patient),
            ["onsetDateTime"] = Day(onset),
        };
        if (bodySite is not null)
            condition["bodySite"] = bodySite;
        return condition;
    }

    private static JsonObject Procedure(string id, string patient, string system, string code, string display, DateOnly performed) => new()
    {
        ["resourceType"] = "Procedure",
        ["id"] = id,
        ["status"] = "completed",
        ["code"] = Code(system, code, display),
        ["subject"] = Subject(patient),
        ["performedDateTime"] = Day(performed),
    };

    private static JsonObject Observation(string id, string patient, string category, JsonObject code, DateOnly effective, JsonObject value)
    {
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = id,
            ["status"] = "final",
            ["category"] = new JsonArray(Code("http://terminology.hl7.org/CodeSystem/observation-category", category, category)),
            ["code"] = code,
            ["subject"] = Subject(patient),
            ["effectiveDateTime"] = Day(effective),
        };
        foreach (var (name, element) in value.ToList())
        {
            value.Remove(name);
            observation[name] = element;
        }
        return observation;
    }

    /// <summary>A KRAS mutation reported present, or a variant assessment of KRAS and NRAS with no mutation found.</summary>
    private static JsonObject RasResult(string id, string patient, DateOnly effective, bool mutation) => mutation
        ? Observation(id, patient, "laboratory", Code(Loinc, "21702-6", "KRAS gene mutations found"), effective,
            new JsonObject { ["valueCodeableConcept"] = Code(Loinc, "LA9633-4", "Present") })
        : Observation(id, patient, "laboratory", Code(Loinc, "69548-6", "Genetic variant assessment"), effective, new JsonObject
        {
            ["valueCodeableConcept"] = Code(Loinc, "LA9634-2", "Absent"),
            ["component"] = new JsonArray(Gene("HGNC:6407", "KRAS"), Gene("HGNC:7989", "NRAS")),
        });

    private static JsonObject Gene(string code, string name) => new()
    {
        ["code"] = Code(Loinc, "48018-6", "Gene studied [ID]"),
        ["valueCodeableConcept"] = Code("http://www.genenames.org/geneId", code, name),
    };
}
