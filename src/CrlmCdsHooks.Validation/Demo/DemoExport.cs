using System.Text;

namespace CrlmCdsHooks.Validation.Demo;

/// <summary>Writes a synthetic cohort as a FHIR Bulk Data export: one NDJSON file per resource type.</summary>
public static class DemoExport
{
    /// <summary>Writes <paramref name="patients"/> synthetic patients into <paramref name="directory"/> and returns the truth of each.</summary>
    public static IReadOnlyList<SyntheticPatient> Write(string directory, int patients, int seed)
    {
        Directory.CreateDirectory(directory);
        var writers = new Dictionary<string, StreamWriter>(StringComparer.Ordinal);
        var truths = new List<SyntheticPatient>(patients);
        var cohort = new SyntheticCohort(seed);
        try
        {
            for (var i = 0; i < patients; i++)
            {
                var (truth, resources) = cohort.Next();
                truths.Add(truth);
                foreach (var resource in resources)
                {
                    var type = (string)resource["resourceType"]!;
                    if (!writers.TryGetValue(type, out var writer))
                        writers[type] = writer = new StreamWriter(Path.Combine(directory, $"{type}.ndjson"), append: false, new UTF8Encoding(false), 1 << 16);
                    writer.Write(resource.ToJsonString());
                    writer.Write('\n');
                }
            }
        }
        finally
        {
            foreach (var writer in writers.Values)
                writer.Dispose();
        }
        return truths;
    }
}
