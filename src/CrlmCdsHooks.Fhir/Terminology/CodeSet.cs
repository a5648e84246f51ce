using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// One of the service's value sets as it matches codings offline (SPEC 7.1): the shipped expansion and a site's own codes,
/// plus the rules that need no terminology server (ICD-10 code families, code patterns), minus exclusions. Code systems
/// are compared through their aliases, so an OID-coded system is the same system.
/// </summary>
public sealed class CodeSet
{
    private readonly CodeSystems _systems;
    private readonly HashSet<(string System, string Code)> _codes;
    private readonly HashSet<(string System, string Code)> _excludedCodes;
    private readonly IReadOnlyList<CodeRule> _includeRules;
    private readonly IReadOnlyList<CodeRule> _excludeRules;
    private readonly Dictionary<(string System, string Code), string> _displays;
    private readonly HashSet<string> _displayNames;

    internal CodeSet(string name, CodeSystems systems, IEnumerable<(string System, string Code, string? Display)> codes,
        IEnumerable<(string System, string Code)> excludedCodes, IReadOnlyList<CodeRule> includeRules, IReadOnlyList<CodeRule> excludeRules)
    {
        Name = name;
        _systems = systems;
        var canonical = codes.Select(c => (System: systems.Canonical(c.System), Code: c.Code.Trim(), c.Display)).ToList();
        _codes = canonical.Select(c => (c.System, c.Code)).ToHashSet();
        _excludedCodes = excludedCodes.Select(c => (systems.Canonical(c.System), c.Code.Trim())).ToHashSet();
        _includeRules = includeRules;
        _excludeRules = excludeRules;
        _displays = canonical.Where(c => c.Display is not null).DistinctBy(c => (c.System, c.Code)).ToDictionary(c => (c.System, c.Code), c => c.Display!);
        _displayNames = _displays.Values.Select(d => d.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Entries = _codes.Select(c => $"{c.System}|{c.Code}").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The value set's name, e.g. <c>CrlmLiverMetastasis</c>.</summary>
    public string Name { get; }

    /// <summary>Every enumerated <c>system|code</c> (expansion and site codes), sorted; code families and patterns are not enumerated.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The enumerated codes without their systems, as used in a system-independent token search.</summary>
    public IEnumerable<string> Codes => _codes.Select(c => c.Code);

    /// <summary>True when the coding is in the set.</summary>
    public bool Contains(Coding? coding)
    {
        if (coding?.System is not { } rawSystem || coding.Code is not { Length: > 0 } rawCode)
            return false;
        var system = _systems.Canonical(rawSystem);
        var code = rawCode.Trim();
        if (_excludedCodes.Contains((system, code)) || _excludeRules.Any(r => r.Matches(system, code)))
            return false;
        return _codes.Contains((system, code)) || _includeRules.Any(r => r.Matches(system, code));
    }

    /// <summary>True when any coding of the concept is in the set.</summary>
    public bool Matches(CodeableConcept? concept)
    {
        if (concept is null)
            return false;
        foreach (var coding in concept.Coding)
            if (Contains(coding))
                return true;
        return false;
    }

    /// <summary>True when any coding of any of the concepts is in the set.</summary>
    public bool MatchesAny(IEnumerable<CodeableConcept> concepts) => concepts.Any(Matches);

    /// <summary>
    /// True when a concept given only as text (no coded coding) names one of the set's members by its display, e.g. a
    /// gene symbol. A coded concept is read by its code alone. Only for sets whose displays are unambiguous names.
    /// </summary>
    public bool NamedBy(CodeableConcept? concept) =>
        concept is not null && concept.Coding.All(c => string.IsNullOrEmpty(c.Code)) && Names(concept.Text);

    /// <summary>The set's own display for a coding it enumerates, if any.</summary>
    public string? DisplayOf(Coding coding) =>
        coding.System is { } system && coding.Code is { } code && _displays.TryGetValue((_systems.Canonical(system), code.Trim()), out var display)
            ? display : null;

    private bool Names(string? text) => text is { Length: > 0 } && _displayNames.Contains(text.Trim());
}

/// <summary>A rule that matches codes of one system without enumerating them.</summary>
internal sealed class CodeRule(string system, Func<string, bool> matches, string description)
{
    /// <summary>An ICD-10 family: the header code and every code that starts with it, dots ignored (SPEC 7.1).</summary>
    public static CodeRule Family(string system, string header)
    {
        var prefix = Normalize(header);
        return new(system, code => Normalize(code).StartsWith(prefix, StringComparison.Ordinal), $"{system} family {header}");
    }

    /// <summary>A whole-code regular expression; linear-time, so hostile codes cannot stall it.</summary>
    public static CodeRule Pattern(string system, string pattern)
    {
        var regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return new(system, regex.IsMatch, $"{system} matching {pattern}");
    }

    public bool Matches(string canonicalSystem, string code) => canonicalSystem == system && matches(code);

    public override string ToString() => description;

    private static string Normalize(string code) => code.Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
}
