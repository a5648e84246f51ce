using System.Text.RegularExpressions;

namespace CrlmCdsHooks.Fhir;

/// <summary>SNOMED CT fully specified names end in a semantic tag ("(disorder)"); a clinician reads the name without it.</summary>
internal static partial class SemanticTag
{
    public static string Strip(string name) => Tag().Replace(name, "");

    [GeneratedRegex(@"\s*\((disorder|finding|procedure|body structure|morphologic abnormality|observable entity|qualifier value|regime/therapy|situation|staging scale|tumor staging|cell structure|attribute)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();
}
