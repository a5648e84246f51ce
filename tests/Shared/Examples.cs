using System.Text.Json.Nodes;

namespace CrlmCdsHooks.TestData;

/// <summary>The example patients shipped in fhir-profiles/examples.</summary>
public static class Examples
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "fhir-profiles", "examples");

    public static string Hook(string name) => File.ReadAllText(Path.Combine(Directory, $"{name}.hook.json"));

    public static string Bundle(string name) => File.ReadAllText(Path.Combine(Directory, $"{name}.bundle.json"));

    public static JsonObject HookJson(string name) => JsonNode.Parse(Hook(name))!.AsObject();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CrlmCdsHooks.sln")))
                return dir.FullName;
        throw new InvalidOperationException("CrlmCdsHooks.sln not found above the test binaries.");
    }
}
