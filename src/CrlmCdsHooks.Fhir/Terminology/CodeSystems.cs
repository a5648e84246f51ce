using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// The code systems the service knows, each under every identifier it is written with (SPEC 7.1): its preferred URI,
/// other URIs, and its OID as <c>urn:oid:…</c>. Read from the NamingSystems in <c>fhir-profiles/</c>.
/// </summary>
public sealed class CodeSystems
{
    private readonly Dictionary<string, string> _canonical = new(StringComparer.Ordinal);

    /// <summary>Indexes the NamingSystems' unique ids by their preferred URI.</summary>
    public CodeSystems(IEnumerable<NamingSystem> namingSystems)
    {
        foreach (var system in namingSystems)
        {
            var preferred = system.UniqueId.Single(u => u.Type == NamingSystem.NamingSystemIdentifierType.Uri && u.Preferred == true).Value!;
            foreach (var id in system.UniqueId.Where(u => u.Value is not null))
                _canonical[id.Type == NamingSystem.NamingSystemIdentifierType.Oid ? $"urn:oid:{id.Value}" : id.Value!] = preferred;
        }
    }

    /// <summary>The preferred URI of a system identifier; the identifier itself when the service knows no alias for it.</summary>
    public string Canonical(string system) => _canonical.GetValueOrDefault(system.Trim(), system.Trim());

    /// <summary>Every alias and the URI it stands for.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _canonical;
}
