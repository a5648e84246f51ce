using System.Text.Json;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// A JSON object of a FHIR resource (the resource itself or one of its elements), read only where a rule asks: the
/// models need a handful of elements of each resource, so building the SDK's whole object model for every prefetched
/// resource cost more than everything else the hook does (docs/performance.md). An element present in a form FHIR
/// does not allow (a string where a number belongs, a null in a list, a status that is not one of its codes) throws
/// <see cref="InvalidFhirElementException"/> when read, so the mapper skips that resource whole instead of half-reading it.
/// </summary>
public readonly struct FhirNode
{
    private readonly JsonElement _json;

    /// <summary>Wraps a JSON object; anything else is an invalid element.</summary>
    public FhirNode(JsonElement json, string name)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw InvalidFhirElementException.Found(name, "an object", json.ValueKind);
        _json = json;
    }

    /// <summary>The JSON this node reads.</summary>
    public JsonElement Json => _json;

    /// <summary>A string element; null when absent.</summary>
    public string? StringValue(string name) => Property(name, JsonValueKind.String, "a string") is { } value ? value.GetString() : null;

    /// <summary>A boolean element; null when absent.</summary>
    public bool? BooleanValue(string name) =>
        !_json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw InvalidFhirElementException.Found(name, "a boolean", value.ValueKind);

    /// <summary>A complex element; null when absent.</summary>
    public FhirNode? Node(string name) => Property(name, JsonValueKind.Object, "an object") is { } value ? new FhirNode(value, name) : null;

    /// <summary>The items of a list of complex elements; empty when absent.</summary>
    public NodeList Nodes(string name) => new(Property(name, JsonValueKind.Array, "a list"), name);

    /// <summary>A decimal element; null when absent. A number beyond the range of a decimal is invalid.</summary>
    public decimal? DecimalValue(string name) =>
        Property(name, JsonValueKind.Number, "a number") is not { } value ? null
        : value.TryGetDecimal(out var number) ? number
        : throw new InvalidFhirElementException($"'{name}' is a number beyond the range of a decimal");

    /// <summary>An integer element; null when absent. A number that is not a 32-bit whole number (FHIR's integer) is invalid.</summary>
    public int? IntegerValue(string name) =>
        Property(name, JsonValueKind.Number, "a number") is not { } value ? null
        : value.TryGetInt32(out var number) ? number
        : throw new InvalidFhirElementException($"'{name}' is {PlainText.Clip(value.GetRawText(), 40)}, not a whole number within FHIR's integer range");

    /// <summary>A code element whose value must be one of <paramref name="allowed"/> (a FHIR required binding); null when absent.</summary>
    public string? Code(string name, IReadOnlySet<string> allowed) =>
        StringValue(name) is not { } code ? null
        : allowed.Contains(code) ? code
        : throw new InvalidFhirElementException($"'{name}' is '{PlainText.Clip(code, 40)}', not one of its codes");

    /// <summary>True when an element of this name is present in any form.</summary>
    public bool Has(string name) => _json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The name of this node's first element that starts with <paramref name="prefix"/>, for a choice element's type.</summary>
    public string? FirstNameStartingWith(string prefix)
    {
        foreach (var property in _json.EnumerateObject())
            if (property.Name.StartsWith(prefix, StringComparison.Ordinal))
                return property.Name;
        return null;
    }

    private JsonElement? Property(string name, JsonValueKind kind, string expected)
    {
        if (!_json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == kind ? value : throw InvalidFhirElementException.Found(name, expected, value.ValueKind);
    }
}

/// <summary>The items of a FHIR list of complex elements, each checked to be an object as it is read.</summary>
public readonly struct NodeList(JsonElement? array, string name)
{
    /// <summary>How many items the list has.</summary>
    public int Count => array?.GetArrayLength() ?? 0;

    /// <summary>Enumerates without allocating.</summary>
    public Enumerator GetEnumerator() => new(array, name);

    /// <summary>True when any item satisfies <paramref name="predicate"/>.</summary>
    public bool Any(Func<FhirNode, bool> predicate)
    {
        foreach (var node in this)
            if (predicate(node))
                return true;
        return false;
    }

    /// <summary>The first item satisfying <paramref name="predicate"/>, or null.</summary>
    public FhirNode? FirstOrDefault(Func<FhirNode, bool> predicate)
    {
        foreach (var node in this)
            if (predicate(node))
                return node;
        return null;
    }

    /// <summary>The first item, or null when the list is empty.</summary>
    public FhirNode? FirstOrDefault() => FirstOrDefault(_ => true);

    /// <summary>The enumerator of <see cref="NodeList"/>.</summary>
    public struct Enumerator(JsonElement? array, string name)
    {
        private JsonElement.ArrayEnumerator _items = array?.EnumerateArray() ?? default;
        private readonly bool _any = array is not null;

        /// <summary>The current item.</summary>
        public FhirNode Current { get; private set; }

        /// <summary>Moves to the next item; an item that is not an object (a null included) is an invalid element.</summary>
        public bool MoveNext()
        {
            if (!_any || !_items.MoveNext())
                return false;
            Current = new FhirNode(_items.Current, name);
            return true;
        }
    }
}

/// <summary>An element of a FHIR resource in a form FHIR does not allow; the resource holding it is not used.</summary>
public sealed class InvalidFhirElementException(string message) : FormatException(message)
{
    internal static InvalidFhirElementException Found(string element, string expected, JsonValueKind found) =>
        new($"'{element}' should be {expected}, found {(found == JsonValueKind.Null ? "null" : $"a JSON {found.ToString().ToLowerInvariant()}")}");
}
