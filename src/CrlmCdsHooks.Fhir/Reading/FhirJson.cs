using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// The Firely SDK's FHIR R4 JSON, where the service needs the object model: the shipped profiles and the
/// OperationOutcomes it writes. Patient data are read as JSON by <see cref="SourcedResource"/> and <see cref="FhirNode"/>.
/// </summary>
public static class FhirJson
{
    // Syntax only: the SDK's model validation is not needed by anything that reads what this parses.
    private static readonly JsonSerializerOptions Options =
        new JsonSerializerOptions().ForFhir().UsingMode(DeserializationMode.SyntaxOnly);

    /// <summary>
    /// Parses one resource. Returns null with the reason in <paramref name="problem"/> when the JSON is not a FHIR R4 resource;
    /// returns what parsed, with the issues in <paramref name="problem"/>, when only parts of it were invalid.
    /// </summary>
    public static Resource? TryParse(JsonElement json, out string? problem)
    {
        problem = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            problem = $"expected a FHIR resource object, found {json.ValueKind}";
            return null;
        }
        Resource? resource;
        try
        {
            resource = json.Deserialize<Resource>(Options);
        }
        catch (DeserializationFailedException e) when (e.PartialResult is Resource partial)
        {
            problem = e.Message;
            resource = partial;
        }
        catch (Exception e) when (e is DeserializationFailedException or JsonException or FormatException or InvalidCastException)
        {
            problem = e.Message;
            return null;
        }
        if (resource is Bundle bundle && ValueOrDefault(() => bundle.Entry) is null)
        {
            // Without its entries a Bundle would read as "nothing found": a calm wrong answer.
            problem = "the Bundle's 'entry' is not a list of entries";
            return null;
        }
        if (resource is DynamicResource unknown)
        {
            // Lenient parsing keeps unknown types as dynamic resources; for us they are unreadable.
            problem = $"'{unknown.DynamicTypeName}' is not a FHIR R4 resource type";
            return null;
        }
        return resource;
    }

    /// <summary>
    /// True for what lenient parsing defers until an element is read: a value of the wrong type or form (it throws
    /// when read), a number out of range, or a JSON <c>null</c> kept as an item of a list, which FHIR forbids.
    /// </summary>
    public static bool IsInvalidElement(Exception e) =>
        e is CodedValidationException or FormatException or InvalidCastException or OverflowException or NullReferenceException;

    /// <summary>An element's value, or the default when the record holds it in an invalid form.</summary>
    public static T? ValueOrDefault<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsInvalidElement(e))
        {
            return default;
        }
    }

    /// <summary>Entries of a Bundle's JSON, counted before any parsing so an oversized Bundle costs nothing to refuse.</summary>
    public static int EntryCount(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array
            ? entries.GetArrayLength() : 0;

    /// <summary>Serializes a resource to FHIR JSON.</summary>
    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, Options);
}
