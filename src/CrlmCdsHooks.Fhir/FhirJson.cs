using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace CrlmCdsHooks.Fhir;

/// <summary>Parses FHIR R4 JSON leniently, as real EHR data needs: unknown elements and empty arrays are tolerated.</summary>
public static class FhirJson
{
    private static readonly JsonSerializerOptions Options =
        new JsonSerializerOptions().ForFhir().UsingMode(DeserializationMode.Recoverable);

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
        try
        {
            var resource = json.Deserialize<Resource>(Options);
            if (resource is DynamicResource unknown)
            {
                // Recoverable mode keeps unknown types as dynamic resources; for us they are unreadable.
                problem = $"'{unknown.DynamicTypeName}' is not a FHIR R4 resource type";
                return null;
            }
            return resource;
        }
        catch (DeserializationFailedException e) when (e.PartialResult is Resource partial)
        {
            problem = e.Message;
            return partial;
        }
        catch (Exception e) when (e is DeserializationFailedException or JsonException or FormatException or InvalidCastException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>Serializes a resource to FHIR JSON.</summary>
    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, Options);
}
