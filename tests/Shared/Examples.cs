using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CrlmCdsHooks.TestData;

/// <summary>The example patients shipped in fhir-profiles/examples.</summary>
public static class Examples
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "fhir-profiles", "examples");

    public static string Hook(string name) => File.ReadAllText(Path.Combine(Directory, $"{name}.hook.json"));

    /// <summary>An <c>order-sign</c> request with full prefetch: <c>NAME.order-sign.json</c>.</summary>
    public static string OrderSign(string name) => File.ReadAllText(Path.Combine(Directory, $"{name}.order-sign.json"));

    public static string Bundle(string name) => File.ReadAllText(Path.Combine(Directory, $"{name}.bundle.json"));

    public static JsonObject HookJson(string name) => JsonNode.Parse(Hook(name))!.AsObject();

    /// <summary>Loads every example transaction Bundle into a FHIR server; they PUT fixed ids, so loading twice changes nothing.</summary>
    public static async Task LoadIntoAsync(Uri fhirBase, string? bearerToken = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.bundle.json").Order())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, fhirBase);
            if (bearerToken is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            request.Content = new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8, "application/fhir+json");
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Loading {Path.GetFileName(file)} into {fhirBase} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CrlmCdsHooks.sln")))
                return dir.FullName;
        throw new InvalidOperationException("CrlmCdsHooks.sln not found above the test binaries.");
    }
}
