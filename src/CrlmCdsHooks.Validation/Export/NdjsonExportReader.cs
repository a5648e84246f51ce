using System.Text;
using System.Text.Json;

namespace CrlmCdsHooks.Validation.Export;

/// <summary>What the reading pass found besides the patients' resources.</summary>
/// <param name="Files">NDJSON files read.</param>
/// <param name="Resources">Resources read for a patient.</param>
/// <param name="IgnoredTypes">Resources of types the tool does not read, by type.</param>
/// <param name="WithoutPatient">Resources of a read type that refer to no patient.</param>
/// <param name="Partitions">Temporary partitions the resources were grouped through.</param>
public sealed record ExportContents(int Files, long Resources, IReadOnlyDictionary<string, long> IgnoredTypes, long WithoutPatient, int Partitions);

/// <summary>
/// Reads a Bulk Data export (NDJSON files, one resource type or mixed per file) and hands each patient's resources
/// to a function, with memory bounded by the size of one partition rather than of the export.
/// <para>
/// Pass 1 streams every file once and appends each line to one of N temporary partition files chosen by a hash of its
/// patient id (N grows with the export so each partition holds about <see cref="PartitionBytes"/>). Pass 2 loads one
/// partition at a time per core, groups its lines by patient and calls the function. A patient's resources may be
/// spread over any files in any order.
/// </para>
/// </summary>
public sealed class NdjsonExportReader(string inputDirectory)
{
    /// <summary>The types the tool reads: the four the model needs, and BodyStructure, which places a lesion in or outside the liver.</summary>
    public static IReadOnlySet<string> ReadTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
        { "Patient", "Condition", "Observation", "Procedure", "BodyStructure" };

    /// <summary>Target size of one partition: what pass 2 holds in memory per core.</summary>
    public long PartitionBytes { get; init; } = 32L << 20;

    private const int MaxPartitions = 256;

    /// <summary>Reads the export and returns <paramref name="perPatient"/>'s results, ordered by patient id.</summary>
    /// <exception cref="InputException">No such directory, no NDJSON file in it, or a line that is not a JSON resource.</exception>
    public (IReadOnlyList<T> Results, ExportContents Contents) Read<T>(
        Func<string, IReadOnlyList<ReadOnlyMemory<byte>>, T> perPatient, IProgress<ProgressUpdate>? progress = null)
    {
        var files = NdjsonFiles(inputDirectory);
        var totalBytes = files.Sum(f => new FileInfo(f).Length);
        var partitions = (int)Math.Clamp(totalBytes / PartitionBytes + 1, 1, MaxPartitions);
        var work = Directory.CreateTempSubdirectory("crlm-validation-");
        try
        {
            var contents = Partition(files, totalBytes, partitions, work.FullName, progress);
            var results = new List<(string Patient, T Result)>();
            long done = 0;
            Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, partition =>
            {
                var own = new List<(string, T)>();
                foreach (var (patient, lines) in LoadPartition(Path.Combine(work.FullName, PartitionName(partition))))
                {
                    own.Add((patient, perPatient(patient, lines)));
                    progress?.Report(new ProgressUpdate("assessing", Interlocked.Increment(ref done), contents.Patients, "patients"));
                }
                lock (results)
                    results.AddRange(own);
            });
            results.Sort((a, b) => string.CompareOrdinal(a.Patient, b.Patient));
            return ([.. results.Select(r => r.Result)], contents.Summary);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string[] NdjsonFiles(string directory)
    {
        if (!Directory.Exists(directory))
            throw new InputException($"The input directory '{directory}' does not exist.");
        var files = Directory.GetFiles(directory, "*.ndjson").Order(StringComparer.Ordinal).ToArray();
        return files.Length > 0 ? files
            : throw new InputException($"The input directory '{directory}' holds no .ndjson file (a FHIR Bulk Data export: Patient.ndjson, Condition.ndjson, …).");
    }

    private static string PartitionName(int partition) => $"partition-{partition:D3}.bin";

    private sealed record PartitionResult(ExportContents Summary, long Patients);

    private static PartitionResult Partition(string[] files, long totalBytes, int partitions, string work, IProgress<ProgressUpdate>? progress)
    {
        var writers = Enumerable.Range(0, partitions)
            .Select(p => new BinaryWriter(new FileStream(Path.Combine(work, PartitionName(p)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16)))
            .ToArray();
        var ignored = new Dictionary<string, long>(StringComparer.Ordinal);
        var patients = new HashSet<string>(StringComparer.Ordinal);
        long resources = 0, withoutPatient = 0, bytesBefore = 0;
        try
        {
            foreach (var file in files)
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                foreach (var (number, line) in NdjsonLines.Read(stream))
                {
                    var header = ReadHeader(file, number, line.Span);
                    if (!ReadTypes.Contains(header.ResourceType))
                        ignored[header.ResourceType] = ignored.GetValueOrDefault(header.ResourceType) + 1;
                    else if (header.PatientId is not { } patient)
                        withoutPatient++;
                    else
                    {
                        patients.Add(patient);
                        resources++;
                        var writer = writers[PartitionOf(patient, partitions)];
                        writer.Write(patient);
                        writer.Write(line.Length);
                        writer.Write(line.Span);
                    }
                    if ((resources & 0x3FFF) == 0)
                        progress?.Report(new ProgressUpdate("reading", (bytesBefore + stream.Position) >> 20, totalBytes >> 20, "MB"));
                }
                bytesBefore += stream.Length;
            }
        }
        finally
        {
            foreach (var writer in writers)
                writer.Dispose();
        }
        return new PartitionResult(new ExportContents(files.Length, resources, ignored, withoutPatient, partitions), patients.Count);
    }

    private static ResourceHeader ReadHeader(string file, long number, ReadOnlySpan<byte> line)
    {
        try
        {
            return ResourceHeader.Read(line);
        }
        catch (JsonException e)
        {
            var excerpt = Encoding.UTF8.GetString(line[..Math.Min(line.Length, 60)]);
            throw new InputException($"{Path.GetFileName(file)}, line {number}: not a readable FHIR resource ({e.Message.Split(" Path:")[0]}). The line begins: {excerpt}", e);
        }
    }

    /// <summary>FNV-1a of the id: stable across runs (string.GetHashCode is randomised per process).</summary>
    private static int PartitionOf(string patient, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in patient)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % (uint)partitions);
    }

    private static IEnumerable<(string Patient, IReadOnlyList<ReadOnlyMemory<byte>> Lines)> LoadPartition(string path)
    {
        var byPatient = new Dictionary<string, List<ReadOnlyMemory<byte>>>(StringComparer.Ordinal);
        using (var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16)))
        {
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                var patient = reader.ReadString();
                var line = reader.ReadBytes(reader.ReadInt32());
                if (!byPatient.TryGetValue(patient, out var lines))
                    byPatient[patient] = lines = [];
                lines.Add(line);
            }
        }
        return byPatient.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, (IReadOnlyList<ReadOnlyMemory<byte>>)p.Value));
    }
}
