using System.Diagnostics;
using CrlmCdsHooks.Validation.Cli;

namespace CrlmCdsHooks.Validation.Tests;

/// <summary>Bad input gives a clear message and a non-zero exit, never a stack trace.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using StringWriter output = new(), error = new();
        var exit = await ValidationCommand.RunAsync(args, output, error, showProgress: false);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_missing_input_directory_is_named()
    {
        var (exit, _, error) = await Run("--input", _directory.Sub("nowhere"), "--out", _directory.Sub("out"));

        Assert.Equal(ValidationCommand.InputError, exit);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_without_ndjson_says_what_it_expected()
    {
        var (exit, _, error) = await Run("--input", _directory.Path, "--out", _directory.Sub("out"));

        Assert.Equal(ValidationCommand.InputError, exit);
        Assert.Contains("no .ndjson file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_line_is_named_by_file_and_line()
    {
        var input = Directory.CreateDirectory(_directory.Sub("in")).FullName;
        await File.WriteAllTextAsync(Path.Combine(input, "Patient.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"a\"}\nnot json at all\n");

        var (exit, _, error) = await Run("--input", input, "--out", _directory.Sub("out"));

        Assert.Equal(ValidationCommand.InputError, exit);
        Assert.Contains("Patient.ndjson, line 2", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.Sub("out/report.json")));
    }

    [Theory]
    [InlineData("--input", "x", "--out", "y", "--frobnicate", "1")]
    [InlineData("--input", "x")]
    [InlineData("--input", "x", "--fhir-server", "http://127.0.0.1/fhir", "--out", "y")]
    [InlineData("--input", "x", "--out", "y", "--token", "t")]
    [InlineData("--fhir-server", "ftp://example.org", "--out", "y")]
    [InlineData("--input", "x", "--out", "y", "--bootstrap", "many")]
    [InlineData("--input", "--out", "y")]
    [InlineData("generate-demo", "--out", "y", "--input", "x")]
    [InlineData("stray")]
    public async Task A_command_line_it_cannot_use_gets_a_usage_error(params string[] args)
    {
        var (exit, _, error) = await Run(args);

        Assert.Equal(ValidationCommand.UsageError, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var (exit, output, _) = await Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("--input DIR --out DIR", output, StringComparison.Ordinal);
        Assert.Contains("generate-demo", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_tool_exits_non_zero_without_a_stack_trace()
    {
        // The real process, as a reader runs it: nothing in-process catches for it.
        var tool = Path.Combine(AppContext.BaseDirectory, "CrlmCdsHooks.Validation.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { tool, "--input", _directory.Sub("nowhere"), "--out", _directory.Sub("out") })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(ValidationCommand.InputError, process.ExitCode);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }
}
