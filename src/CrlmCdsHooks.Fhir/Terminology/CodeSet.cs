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
    public bool Contains(Coding? coding) => Contains(coding?.System, coding?.Code);

    /// <summary>True when the code of the system is in the set.</summary>
    public bool Contains(string? system, string? code) =>
        system is not null && code is { Length: > 0 } && ContainsCanonical(_systems.Canonical(system), code.Trim());

    private bool ContainsCanonical(string system, string code)
    {
        if (_excludedCodes.Contains((system, code)) || AnyMatches(_excludeRules, system, code))
            return false;
        return _codes.Contains((system, code)) || AnyMatches(_includeRules, system, code);
    }

    private static bool AnyMatches(IReadOnlyList<CodeRule> rules, string system, string code)
    {
        for (var i = 0; i < rules.Count; i++)
            if (rules[i].Matches(system, code))
                return true;
        return false;
    }

    /// <summary>True when any coding of the concept is in the set.</summary>
    public bool Matches(CodeableConcept? concept) => concept is not null && concept.Coding.Any(Contains);

    /// <summary>True when any coding of the concept, read with the same code systems as this set, is in the set.</summary>
    public bool Matches(CodedConcept concept)
    {
        foreach (var coding in concept.Codings)
            if (coding is { System: { } system, Code.Length: > 0 } && ContainsCanonical(system, coding.Code))
                return true;
        return false;
    }

    /// <summary>True when any coding of the concept (a FHIR CodeableConcept as JSON) is in the set.</summary>
    public bool Matches(FhirNode? concept) => Matches(CodedConcept.Read(concept, _systems));

    /// <summary>True when any coding of any of the concepts is in the set.</summary>
    public bool MatchesAny(NodeList concepts) => concepts.Any(c => Matches(c));

    /// <summary>
    /// True when a concept given only as text (no coded coding) names one of the set's members by its display, e.g. a
    /// gene symbol. A coded concept is read by its code alone. Only for sets whose displays are unambiguous names.
    /// </summary>
    public bool NamedBy(CodedConcept concept) => concept.Codings.All(c => string.IsNullOrEmpty(c.Code)) && Names(concept.Text);

    /// <summary>True when a bare text (a gene given as a string) names one of the set's members by its display.</summary>
    public bool NamedBy(string? text) => Names(text);

    /// <summary>
    /// True when one of the set's display names is a word of the concept's text or displays, coded or not: a medication
    /// coded as a clinical drug ("oxaliplatin 5 MG/ML Injectable Solution") or in a local system names its ingredient.
    /// Only for sets whose displays are single-word names that mean nothing else (drug ingredients).
    /// </summary>
    public bool NamedWithin(CodedConcept concept) =>
        concept.Words().Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries).Any(_displayNames.Contains);

    private static readonly char[] WordSeparators = [' ', ',', ';', '/', '(', ')', '[', ']', '+', '-', '.', ':'];

    /// <summary>The set's own display for a code it enumerates, if any.</summary>
    public string? DisplayOf(string? system, string? code) =>
        system is not null && code is not null && _displays.TryGetValue((_systems.Canonical(system), code.Trim()), out var display)
            ? display : null;

    /// <summary>The enumerated codes, canonical system first, for a <see cref="CodeGate"/>.</summary>
    internal IReadOnlySet<(string System, string Code)> CanonicalCodes => _codes;

    /// <summary>The systems whose codes the set matches by rule rather than by enumeration, for a <see cref="CodeGate"/>.</summary>
    internal IEnumerable<string> RuleSystems => _includeRules.Select(r => r.System);

    /// <summary>The code systems this set's codes are compared through.</summary>
    internal CodeSystems Systems => _systems;

    private bool Names(string? text) => text is { Length: > 0 } && _displayNames.Contains(text.Trim());
}

/// <summary>A rule that matches codes of one system without enumerating them.</summary>
internal sealed class CodeRule(string system, Func<string, bool> matches, string description)
{
    /// <summary>The canonical system whose codes the rule matches.</summary>
    public string System => system;

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
