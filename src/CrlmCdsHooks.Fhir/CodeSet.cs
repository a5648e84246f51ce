using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir;

/// <summary>A set of <c>system|code</c> pairs that a coding either belongs to or not.</summary>
public sealed class CodeSet
{
    private readonly HashSet<(string System, string Code)> _codes;

    /// <summary>Builds the set from <c>system|code</c> strings.</summary>
    public CodeSet(IEnumerable<string> systemAndCodes)
    {
        _codes = systemAndCodes.Select(Parse).ToHashSet();
        Entries = _codes.Select(c => $"{c.System}|{c.Code}").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every <c>system|code</c>, sorted, as used in a token search.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>True when the coding is in the set.</summary>
    public bool Contains(Coding? coding) =>
        coding?.System is { } system && coding.Code is { } code && _codes.Contains((system, code));

    /// <summary>True when any coding of the concept is in the set.</summary>
    public bool Matches(CodeableConcept? concept) => concept?.Coding.Any(Contains) == true;

    /// <summary>True when any coding of any of the concepts is in the set.</summary>
    public bool MatchesAny(IEnumerable<CodeableConcept> concepts) => concepts.Any(Matches);

    private static (string, string) Parse(string systemAndCode)
    {
        var bar = systemAndCode.LastIndexOf('|');
        if (bar <= 0 || bar == systemAndCode.Length - 1)
            throw new FormatException($"Terminology entry '{systemAndCode}' is not of the form system|code.");
        return (systemAndCode[..bar].Trim(), systemAndCode[(bar + 1)..].Trim());
    }
}
