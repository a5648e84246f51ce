namespace CrlmCdsHooks.Fhir;

/// <summary>One coding of a concept: its system as the service names it (aliases resolved), its code trimmed, its display.</summary>
public readonly record struct CodedCoding(string? System, string? Code, string? Display);

/// <summary>
/// A FHIR CodeableConcept read once from the record, so a rule that asks several value sets about the same element
/// (an Observation's code is tried against a dozen) reads the JSON and resolves code system aliases once.
/// </summary>
public sealed class CodedConcept
{
    /// <summary>An element that is absent.</summary>
    public static readonly CodedConcept None = new([], null);

    private CodedConcept(CodedCoding[] codings, string? text)
    {
        Codings = codings;
        Text = text;
    }

    /// <summary>The codings, in the record's order.</summary>
    public IReadOnlyList<CodedCoding> Codings { get; }

    /// <summary>The concept's text.</summary>
    public string? Text { get; }

    /// <summary>Reads a CodeableConcept's JSON; an element in an invalid form throws <see cref="InvalidFhirElementException"/>.</summary>
    public static CodedConcept Read(FhirNode? concept, CodeSystems systems)
    {
        if (concept is not { } node)
            return None;
        var codingList = node.Nodes("coding");
        var codings = codingList.Count == 0 ? [] : new CodedCoding[codingList.Count];
        var i = 0;
        foreach (var coding in codingList)
            codings[i++] = new CodedCoding(coding.StringValue("system") is { } system ? systems.Canonical(system) : null,
                coding.StringValue("code")?.Trim(), coding.StringValue("display"));
        return new CodedConcept(codings, node.StringValue("text"));
    }

    /// <summary>What the concept says in words (every display and its text), lower case, for the few rules that read words.</summary>
    public string Words() => string.Join(" ", Codings.Select(c => c.Display).Append(Text).OfType<string>()).ToLowerInvariant();
}
