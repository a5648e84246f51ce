using System.Globalization;

namespace CrlmCdsHooks.Fhir;

/// <summary>What a record says, in words a clinician reads: names of coded concepts and Observation values, never a bare code.</summary>
internal static class RecordText
{
    private const string Ajcc = "http://cancerstaging.org";

    /// <summary>A readable name (SPEC 4, v2): text, the record's display, or the service's own; SNOMED semantic tags stripped; never a bare code.</summary>
    public static string Display(CodedConcept concept, params CodeSet[] namedBy)
    {
        var name = concept.Text
            ?? concept.Codings.Select(c => Terminology.NameOf(c, namedBy)).FirstOrDefault(d => d is not null)
            ?? concept.Codings.Select(c => c.System == Ajcc ? c.Code : null).FirstOrDefault(d => d is not null);
        return name is null ? "(a code without a name in the record)" : PlainText.Clip(SemanticTag.Strip(name), PlainText.RecordLength);
    }

    /// <summary>An Observation's (or a component's) value[x] in words.</summary>
    public static string ValueText(FhirNode observation, Terminology terminology) =>
        observation.Node("valueCodeableConcept") is { } concept ? Display(terminology.Concept(concept))
        : observation.StringValue("valueString") is { } text ? PlainText.Clip(text, PlainText.RecordLength)
        : observation.Node("valueQuantity") is { } quantity ? QuantityText(quantity)
        : observation.FirstNameStartingWith("value") is { } other ? $"a value of type {PlainText.Clip(other["value".Length..], 40)}"
        : "(no value)";

    public static string QuantityText(FhirNode quantity) =>
        PlainText.Clip($"{quantity.DecimalValue("value")?.ToString(CultureInfo.InvariantCulture)} {UnitOf(quantity)}", PlainText.RecordLength);

    /// <summary>A Quantity's UCUM code, else its unit as written.</summary>
    public static string UnitOf(FhirNode quantity) => quantity.StringValue("code") ?? quantity.StringValue("unit") ?? "";
}
