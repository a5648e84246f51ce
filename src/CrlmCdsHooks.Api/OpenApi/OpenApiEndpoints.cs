namespace CrlmCdsHooks.Api.OpenApi;

/// <summary>
/// Serves the OpenAPI 3.1 description written by hand in <c>openapi.json</c>: the CDS Hooks wire formats, every error
/// status with its OperationOutcome, and the client-JWT scheme, more exactly than a generator could infer them from
/// handlers that return <c>IResult</c>. A test checks it against the OpenAPI 3.1 schema, every mapped route, and real
/// responses.
/// </summary>
internal static class OpenApiEndpoints
{
    public const string Path = "/openapi/v1.json";

    public static WebApplication MapOpenApiDocument(this WebApplication app)
    {
        using var stream = typeof(OpenApiEndpoints).Assembly.GetManifestResourceStream("CrlmCdsHooks.Api.OpenApi.openapi.json")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded in the service assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var document = buffer.ToArray();
        app.MapGet(Path, () => TypedResults.Bytes(document, "application/json"));
        return app;
    }
}
