using System.Text;

// Reads and discards the request body, as the hook does, then answers the same number of bytes, precomputed.
var size = int.Parse(Environment.GetEnvironmentVariable("BASELINE_RESPONSE_BYTES") ?? "4096", System.Globalization.CultureInfo.InvariantCulture);
var body = Encoding.UTF8.GetBytes("{\"cards\":[\"" + new string('x', Math.Max(0, size - 14)) + "\"]}");

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/cds-services/{id}", async (HttpContext context) =>
{
    await context.Request.Body.CopyToAsync(Stream.Null);
    context.Response.ContentType = "application/json";
    await context.Response.Body.WriteAsync(body);
});
app.Run();
