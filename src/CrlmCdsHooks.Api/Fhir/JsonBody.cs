using System.Text.Json;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Features;

namespace CrlmCdsHooks.Api.Fhir;

/// <summary>Reads a JSON request body, answering 415 or 400 with an OperationOutcome when it is not usable JSON.</summary>
internal static class JsonBody
{
    /// <summary>Deeper nesting than this is refused: real FHIR and CDS Hooks payloads stay far below it.</summary>
    public const int MaxDepth = 64;

    public static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
            return (null, Outcomes.Error(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                $"Content-Type must be application/json or application/fhir+json, not '{PlainText.Clip(request.ContentType, PlainText.LogValueLength)}'."));
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken), null);
        }
        catch (JsonException e)
        {
            return (null, Outcomes.BadRequest($"The request body is not valid JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Outcomes.Error(e.StatusCode, OperationOutcome.IssueType.TooCostly,
                $"The request body is larger than the {request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize:#,0} bytes this service accepts."));
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && contentType.Split(';')[0].Trim() is var mediaType
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals(Outcomes.FhirJsonContentType, StringComparison.OrdinalIgnoreCase));
}
