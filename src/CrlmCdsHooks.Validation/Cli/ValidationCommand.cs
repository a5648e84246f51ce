using System.Globalization;
using System.Text.Json;
using CrlmCdsHooks.Validation.Cohort;
using CrlmCdsHooks.Validation.Demo;
using CrlmCdsHooks.Validation.Export;
using CrlmCdsHooks.Validation.Report;

namespace CrlmCdsHooks.Validation.Cli;

/// <summary>The tool's entry: runs a command and turns every expected failure into a message and an exit code, never a stack trace.</summary>
public static class ValidationCommand
{
    /// <summary>Exit code when the input could not be analysed (missing directory, unreadable line, failed export, I/O error).</summary>
    public const int InputError = 1;

    /// <summary>Exit code when the command line could not be understood.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code when the run was interrupted (Ctrl-C).</summary>
    public const int Cancelled = 130;

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Runs the command of <paramref name="args"/>; progress is drawn on <paramref name="error"/> when <paramref name="showProgress"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool showProgress, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var progress = showProgress ? new ConsoleProgress(error) : null;
        try
        {
            switch (CommandLine.Parse(args))
            {
                case HelpCommand:
                    await output.WriteLineAsync(CommandLine.Usage);
                    return 0;
                case GenerateDemoCommand demo:
                    var truths = DemoExport.Write(demo.Out, demo.Patients, demo.Seed);
                    await output.WriteLineAsync($"Wrote a synthetic export of {truths.Count:N0} patients (not real patients) to {demo.Out}.");
                    return 0;
                case ValidateCommand validate:
                    var report = await ValidateAsync(validate, progress, cancellation);
                    progress?.Finish();
                    await output.WriteLineAsync(Summary(report, validate.Out));
                    return 0;
                default:
                    throw new UsageException("Unknown command.");
            }
        }
        catch (UsageException e)
        {
            progress?.Finish();
            await error.WriteLineAsync($"error: {e.Message}\nRun with --help for the usage.");
            return UsageError;
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            progress?.Finish();
            await error.WriteLineAsync($"error: {e.Message}");
            return InputError;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            progress?.Finish();
            await error.WriteLineAsync("Cancelled.");
            return Cancelled;
        }
    }

    /// <summary>Reads the export (running it first when a server is named), analyses it and writes both reports.</summary>
    public static async Task<ValidationReport> ValidateAsync(ValidateCommand command, IProgress<ProgressUpdate>? progress, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var input = command.Input;
        var source = input is null ? "" : Path.GetFullPath(input);
        if (command.FhirServer is { } server)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            var token = command.Token ?? Environment.GetEnvironmentVariable(CommandLine.TokenVariable);
            input = Path.Combine(command.Out, "export");
            var export = await new BulkDataClient(http, token, progress).ExportAsync(server, input, cancellation);
            source = $"Bulk Data export of {server} ({export.Outputs.Count} files, {export.Errors} error files)";
        }

        var validator = PatientValidator.Default();
        var (patients, contents) = new NdjsonExportReader(input!).Read(validator.Validate, progress);
        var analysis = CohortAnalysis.Analyse(patients, contents, source, validator.Model, new AnalysisSettings(command.BootstrapReplicates, command.Seed));
        Directory.CreateDirectory(command.Out);
        await File.WriteAllTextAsync(Path.Combine(command.Out, "report.json"), JsonSerializer.Serialize(analysis.Report, ReportJson), cancellation);
        await File.WriteAllTextAsync(Path.Combine(command.Out, "report.html"), HtmlReport.Render(analysis), cancellation);
        return analysis.Report;
    }

    private static string Summary(ValidationReport r, string directory) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Patients:N0} patients, {r.WithCrlm:N0} with a liver metastasis, {r.Eligible:N0} analysed. " +
        $"C-index {r.CIndex.Estimate:0.000} ({r.CIndex.Lower:0.000}–{r.CIndex.Upper:0.000}; paper {r.CIndex.Paper:0.000}); " +
        $"log-rank chi-square {r.LogRank.ChiSquare:0.00}, p {(r.LogRank.P < 0.001 ? "< 0.001" : $"{r.LogRank.P:0.000}")}. Report: {Path.Combine(directory, "report.html")}");
}
