using System.Text;
using CrlmCdsHooks.Fhir;
using CrlmCdsHooks.Validation.Cohort;
using CrlmCdsHooks.Validation.Demo;
using CrlmCdsHooks.Validation.Export;

namespace CrlmCdsHooks.Validation.Tests;

/// <summary>Reading an export: any file layout, grouping by patient through partitions, and what is set aside.</summary>
public sealed class ExportReadingTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Mixed_files_in_any_order_and_many_partitions_give_the_same_patients_as_one_file_per_type()
    {
        var perType = _directory.Sub("per-type");
        DemoExport.Write(perType, 200, seed: 5);
        // The same resources shuffled into three mixed files, a patient's resources split across them.
        var mixed = Directory.CreateDirectory(_directory.Sub("mixed")).FullName;
        var lines = Directory.GetFiles(perType).SelectMany(File.ReadAllLines).ToList();
        var random = new Random(1);
        var shuffled = lines.OrderBy(_ => random.Next()).ToList();
        for (var f = 0; f < 3; f++)
            File.WriteAllLines(Path.Combine(mixed, $"part-{f}.ndjson"), shuffled.Where((_, i) => i % 3 == f));

        var validator = PatientValidator.Default();
        var (byType, _) = new NdjsonExportReader(perType).Read(validator.Validate);
        var (byMixed, contents) = new NdjsonExportReader(mixed) { PartitionBytes = 4096 }.Read(validator.Validate);

        Assert.True(contents.Partitions > 50, $"{contents.Partitions} partitions");
        Assert.Equal(lines.Count, contents.Resources);
        Assert.Equal(200, byMixed.Count);
        Assert.Equal(byType.Select(Describe), byMixed.Select(Describe));
    }

    [Fact]
    public void Other_types_and_resources_without_a_patient_are_counted_and_set_aside()
    {
        var directory = Directory.CreateDirectory(_directory.Sub("other")).FullName;
        File.WriteAllText(Path.Combine(directory, "mixed.ndjson"), """
            {"resourceType":"Patient","id":"a"}

            {"resourceType":"Encounter","id":"e1","subject":{"reference":"Patient/a"}}
            {"resourceType":"Condition","id":"c1","subject":{"reference":"Group/g1"},"code":{"text":"x"}}
            {"resourceType":"Observation","id":"o1","subject":{"reference":"https://ehr.example.org/fhir/Patient/a/_history/3"},"status":"final","code":{"text":"x"}}
            """);

        var (patients, contents) = new NdjsonExportReader(directory).Read((id, lines) => (id, lines.Count));

        Assert.Equal([("a", 2)], patients);
        Assert.Equal(1, contents.IgnoredTypes["Encounter"]);
        Assert.Equal(1, contents.WithoutPatient);
    }

    [Theory]
    [InlineData("Patient/123", "123")]
    [InlineData("https://ehr.example.org/fhir/Patient/123", "123")]
    [InlineData("Patient/123/_history/2", "123")]
    [InlineData("Group/7", null)]
    [InlineData("urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0", null)]
    [InlineData("Patient/", null)]
    public void Patient_references_are_read_in_their_usual_forms(string reference, string? id) =>
        Assert.Equal(id, PatientReferences.PatientIdIn(reference));

    [Fact]
    public void An_unreadable_line_names_its_file_and_line()
    {
        var directory = Directory.CreateDirectory(_directory.Sub("broken")).FullName;
        File.WriteAllText(Path.Combine(directory, "Condition.ndjson"), "{\"resourceType\":\"Condition\",\"id\":\"1\"}\n{\"resourceType\": \"Condition\", \"id\": \n");

        var problem = Assert.Throws<InputException>(() => new NdjsonExportReader(directory).Read((id, _) => id));

        Assert.Contains("Condition.ndjson, line 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_split_across_reads_and_a_last_line_without_newline_are_read_whole()
    {
        var longLine = "{\"resourceType\":\"Patient\",\"id\":\"" + new string('x', 3 << 20) + "\"}";
        var text = "{\"resourceType\":\"Patient\",\"id\":\"a\"}\r\n\n" + longLine + "\n{\"resourceType\":\"Patient\",\"id\":\"b\"}";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var lines = NdjsonLines.Read(stream).Select(l => (l.Number, Encoding.UTF8.GetString(l.Line.Span))).ToList();

        Assert.Equal([1L, 3, 4], lines.Select(l => l.Number));
        Assert.Equal(longLine, lines[1].Item2);
        Assert.EndsWith("\"b\"}", lines[2].Item2, StringComparison.Ordinal);
    }

    private static string Describe(CohortPatient p) =>
        $"{p.Id} {p.Group} {p.ValidatedScore} {p.Outcome} {string.Join(",", p.Exclusions.Select(e => e.Code))}";
}
