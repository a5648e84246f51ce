namespace CrlmCdsHooks.Fhir;

/// <summary>
/// The code systems the service knows, each under every identifier it is written with (SPEC 7.1): its preferred URI,
/// other URIs, and its OID as <c>urn:oid:…</c>. Read from the NamingSystems in <c>fhir-profiles/</c>.
/// </summary>
public sealed class CodeSystems
{
    private readonly Dictionary<string, string> _canonical = new(StringComparer.Ordinal);

    /// <summary>Indexes the NamingSystems' unique ids (FHIR JSON) by their preferred URI.</summary>
    public CodeSystems(IEnumerable<FhirNode> namingSystems)
    {
        foreach (var system in namingSystems)
        {
            var ids = new List<(string? Type, string? Value, bool Preferred)>();
            foreach (var id in system.Nodes("uniqueId"))
                ids.Add((id.StringValue("type"), id.StringValue("value"), id.BooleanValue("preferred") == true));
            var preferred = ids.Single(u => u is { Type: "uri", Preferred: true }).Value!;
            foreach (var (type, value, _) in ids.Where(u => u.Value is not null))
                _canonical[type == "oid" ? $"urn:oid:{value}" : value!] = preferred;
        }
    }

    /// <summary>The preferred URI of a system identifier; the identifier itself when the service knows no alias for it.</summary>
    public string Canonical(string system) => _canonical.GetValueOrDefault(system.Trim(), system.Trim());

    /// <summary>Every alias and the URI it stands for.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _canonical;
}
