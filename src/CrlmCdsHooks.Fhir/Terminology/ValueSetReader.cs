namespace CrlmCdsHooks.Fhir;

/// <summary>
/// Turns one of the service's ValueSets into a <see cref="CodeSet"/>: the shipped expansion and explicit concepts are
/// enumerated; ICD-10, ICD-10-CM and ICD-10-PCS <c>is-a</c> filters become code families and <c>regex</c> filters code
/// patterns, evaluated locally; SNOMED CT <c>is-a</c> is known only through the expansion (no hierarchy offline).
/// </summary>
internal static class ValueSetReader
{
    /// <summary>Code systems whose hierarchy is positional, so <c>is-a</c> is a code prefix.</summary>
    private static readonly HashSet<string> FamilySystems =
        ["http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm", "http://www.cms.gov/Medicare/Coding/ICD10"];

    public static CodeSet ToCodeSet(FhirNode valueSet, CodeSystems systems, IEnumerable<(string System, string Code, string? Display)> siteCodes)
    {
        var compose = valueSet.Node("compose");
        var includes = ConceptSets(compose, "include");
        var excludes = ConceptSets(compose, "exclude");
        var expansion = new List<(string, string, string?)>();
        foreach (var contains in valueSet.Node("expansion")?.Nodes("contains") ?? default)
            if (contains.StringValue("system") is { } system && contains.StringValue("code") is { } code)
                expansion.Add((system, code, contains.StringValue("display")));
        var enumerated = expansion.Concat(Concepts(includes)).Concat(siteCodes);
        return new CodeSet(valueSet.StringValue("name") ?? valueSet.StringValue("id") ?? "", systems, enumerated,
            Concepts(excludes).Select(c => (c.System, c.Code)),
            Rules(includes, systems), Rules(excludes, systems));
    }

    private static List<FhirNode> ConceptSets(FhirNode? compose, string name)
    {
        var sets = new List<FhirNode>();
        foreach (var set in compose?.Nodes(name) ?? default)
            sets.Add(set);
        return sets;
    }

    /// <summary>The rules of a ValueSet's filters that can be evaluated without a terminology server.</summary>
    private static List<CodeRule> Rules(List<FhirNode> sets, CodeSystems systems)
    {
        var rules = new List<CodeRule>();
        foreach (var set in sets)
        {
            var system = systems.Canonical(set.StringValue("system") ?? "");
            foreach (var filter in set.Nodes("filter"))
            {
                var rule = (filter.StringValue("op"), filter.StringValue("value")) switch
                {
                    (_, null) => null,
                    ("is-a", { } header) when FamilySystems.Contains(system) => CodeRule.Family(system, header),
                    ("regex", { } pattern) => CodeRule.Pattern(system, pattern),
                    _ => null,
                };
                if (rule is not null)
                    rules.Add(rule);
            }
        }
        return rules;
    }

    private static IEnumerable<(string System, string Code, string? Display)> Concepts(List<FhirNode> sets)
    {
        foreach (var set in sets)
            if (set.StringValue("system") is { } system)
                foreach (var concept in set.Nodes("concept"))
                    if (concept.StringValue("code") is { } code)
                        yield return (system, code, concept.StringValue("display"));
    }
}
