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
