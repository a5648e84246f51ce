using System.Text.Json.Nodes;

namespace CrlmCdsHooks.TestData;

/// <summary>
/// Seeded random damage to FHIR and CDS Hooks JSON, for property-style tests: values no clinician recorded, in the
/// slots the service reads and anywhere else. The seed is in each test's name, so a failure replays exactly.
/// </summary>
public sealed class HostileJson(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Date elements the mapper reads a clinical date from.</summary>
    public static readonly string[] DateElements = ["onsetDateTime", "abatementDateTime", "performedDateTime", "effectiveDateTime"];

    /// <summary>Values that are never a usable clinical date: malformed, impossible, implausible, or not a string.</summary>
    public static readonly string[] UnusableDates =
    [
        "\"9999-12-31\"", "\"0001-01-01\"", "\"1850-06-01\"", "\"2023-13-01\"", "\"2023-02-29\"", "\"2023-03-10T25:00:00Z\"",
        "\"2023-03-10T99:99:99Z\"", "\"2023-03-10T10:00:00\"", "\"2023-03-10 10:00\"", "\"2023-03-10garbage\"", "\"garbage\"", "\"\"",
        "\"１９９９-01-01\"", "\"2023-03-10T10:00:00+15:00\"", "12345", "true", "{}", "[]", "\"" + new string('9', 5_000) + "\"",
    ];

    /// <summary>Quantities that are never a usable size in cm, count or CEA: out of range, overflowing, or not a number.</summary>
    public static readonly string[] UnusableNumbers =
        ["-1", "-0.5", "1e400", "8e27", "-8e27", "\"3\"", "\"abc\"", "true", "{}", "[]", "79228162514264337593543950336"];

    /// <summary>Anything at all: the above, markup, control characters, deep nesting, huge strings.</summary>
    public static readonly string[] AnyValues =
    [
        .. UnusableDates, .. UnusableNumbers, "null", "\"![x](https://t.example/p.png)\"", "\"<iframe src=x>\"", "\"\\u0000\\u001b[31m\\n# heading\"",
        "\"\\u202Ereversed\"", "[" + new string('[', 40) + new string(']', 40) + "]", "{\"resourceType\":\"Unknown\"}",
        "{\"resourceType\":\"OperationOutcome\",\"issue\":[]}", "\"" + new string('x', 100_000) + "\"", "-0", "1.0000000000000000000000000001",
    ];

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public int Next(int max) => _random.Next(max);

    /// <summary>Every node under <paramref name="root"/> with its parent and the name or index that reaches it.</summary>
    public static IEnumerable<(JsonNode Parent, string? Name, int Index)> Slots(JsonNode root)
    {
        switch (root)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    yield return (obj, name, -1);
                    if (child is not null)
                        foreach (var slot in Slots(child))
                            yield return slot;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, null, i);
                    if (array[i] is { } child)
                        foreach (var slot in Slots(child))
                            yield return slot;
                }
                break;
        }
    }

    /// <summary>Damages one random node anywhere: replaced by any value, removed, or its object emptied.</summary>
    public string DamageAnywhere(JsonNode root)
    {
        var slots = Slots(root).ToList();
        var (parent, name, index) = Pick(slots);
        var value = Pick(AnyValues);
        var action = Next(3);
        if (parent is JsonObject obj)
        {
            if (action == 0)
                obj.Remove(name!);
            else
                obj[name!] = JsonNode.Parse(value);
            return $"{(action == 0 ? "removed" : "set")} '{name}'{(action == 0 ? "" : $" to {Clip(value)}")}";
        }
        var array = (JsonArray)parent;
        if (action == 0)
            array.RemoveAt(index);
        else
            array[index] = JsonNode.Parse(value);
        return $"{(action == 0 ? "removed" : "set")} [{index}]{(action == 0 ? "" : $" to {Clip(value)}")}";
    }

    private static string Clip(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
