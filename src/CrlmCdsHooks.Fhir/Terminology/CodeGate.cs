namespace CrlmCdsHooks.Fhir;

/// <summary>
/// Whether any of some value sets may hold a concept's code, read straight from the JSON: a test that can say yes too
/// often (a code excluded from its set, a code of a system matched by rule) but never no wrongly, so a record it turns
/// away is one no rule would read. Most of a long record is such records (docs/performance.md).
/// </summary>
internal sealed class CodeGate
{
    private readonly CodeSystems _systems;
    private readonly HashSet<(string System, string Code)> _codes = [];
    private readonly HashSet<string> _ruleSystems = new(StringComparer.Ordinal);

    public CodeGate(IReadOnlyCollection<CodeSet> sets)
    {
        _systems = sets.Select(s => s.Systems).Distinct().Single();
        foreach (var set in sets)
        {
            _codes.UnionWith(set.CanonicalCodes);
            _ruleSystems.UnionWith(set.RuleSystems);
        }
    }

    /// <summary>False only when no coding of the concept can be in any of the sets.</summary>
    public bool MayHold(FhirNode? concept)
    {
        if (concept is not { } node)
            return false;
        foreach (var coding in node.Nodes("coding"))
        {
            if (coding.StringValue("system") is not { } rawSystem || coding.StringValue("code") is not { Length: > 0 } code)
                continue;
            var system = _systems.Canonical(rawSystem);
            if (_ruleSystems.Contains(system) || _codes.Contains((system, code.Trim())))
                return true;
        }
        return false;
    }
}
