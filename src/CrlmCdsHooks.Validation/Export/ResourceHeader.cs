using System.Text.Json;
using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Validation.Export;

/// <summary>
/// What the partitioning pass needs from one NDJSON line, read without building the resource: its type, and the patient
/// it belongs to (a Patient's own id, else <c>subject</c> or <c>patient</c> referring to <c>Patient/{id}</c>).
/// </summary>
public readonly record struct ResourceHeader(string ResourceType, string? PatientId)
{
    /// <summary>Reads the header, checking that the whole line is one JSON object.</summary>
    /// <exception cref="JsonException">The line is not valid JSON, or is not a FHIR resource object.</exception>
    public static ResourceHeader Read(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("the line is not a JSON object");
        string? type = null, id = null, reference = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resourceType"u8))
                type = ReadString(ref reader);
            else if (reader.ValueTextEquals("id"u8))
                id = ReadString(ref reader);
            else if (reader.ValueTextEquals("subject"u8) || reader.ValueTextEquals("patient"u8))
                reference = ReadReference(ref reader) ?? reference;
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            throw new JsonException("unexpected content after the resource");
        if (type is null)
            throw new JsonException("no resourceType: the line is not a FHIR resource");
        return new ResourceHeader(type, type == "Patient" ? id : PatientReferences.PatientIdIn(reference));
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        reader.Skip();
        return null;
    }

    private static string? ReadReference(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? reference = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("reference"u8))
                reference = ReadString(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return reference;
    }
}
