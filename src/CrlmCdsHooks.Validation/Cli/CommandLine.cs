using System.Globalization;

namespace CrlmCdsHooks.Validation.Cli;

/// <summary>The command line could not be understood: the message says what to change.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>What the command line asked for.</summary>
public abstract record Command;

/// <summary>Print the usage.</summary>
public sealed record HelpCommand : Command;

/// <summary>Validate the model on an export read from <paramref name="Input"/>, or made by <paramref name="FhirServer"/>.</summary>
/// <param name="Token">Bearer token for the FHIR server (else <see cref="CommandLine.TokenVariable"/>).</param>
public sealed record ValidateCommand(string? Input, Uri? FhirServer, string? Token, string Out, int BootstrapReplicates, int Seed) : Command;

/// <summary>Write a synthetic demo export.</summary>
public sealed record GenerateDemoCommand(string Out, int Patients, int Seed) : Command;

/// <summary>Parses the tool's arguments.</summary>
public static class CommandLine
{
    /// <summary>The environment variable a bearer token may come from, so it stays out of the shell history.</summary>
    public const string TokenVariable = "CRLM_FHIR_TOKEN";

    /// <summary>The verb that writes a demo export.</summary>
    public const string GenerateDemoVerb = "generate-demo";

    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        Validate the Liu 2021 recurrent-CRLM model on a hospital's own patients.

        Usage:
          CrlmCdsHooks.Validation --input DIR --out DIR [--bootstrap N] [--seed N]
              Reads a FHIR Bulk Data export (NDJSON files of Patient, Condition, Observation, Procedure;
              one resource type or mixed per file) and writes DIR/report.html and DIR/report.json.
          CrlmCdsHooks.Validation --fhir-server URL --out DIR [--token TOKEN] [--bootstrap N] [--seed N]
              Runs a Bulk Data export (Patient/$export) on the FHIR server first, saving its files in DIR/export.
              The bearer token comes from --token or the CRLM_FHIR_TOKEN environment variable.
          CrlmCdsHooks.Validation generate-demo --out DIR [--patients N] [--seed N]
              Writes a synthetic demo export (not patients) to try the tool on.

        Options:
          --bootstrap N   bootstrap resamples for the C-index interval (default 1000)
          --seed N        random seed (bootstrap; demo cohort) (default 20211327)
          --patients N    demo patients (default 2000)
          --help          this text
        """;

    private const int DefaultSeed = 20211327;

    /// <summary>Parses the arguments.</summary>
    /// <exception cref="UsageException">An unknown option, a missing or malformed value, or a missing required option.</exception>
    public static Command Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args.Contains("--help") || args.Contains("-h"))
            return new HelpCommand();
        var demo = args[0] == GenerateDemoVerb;
        string[] allowed = demo ? ["--out", "--patients", "--seed"] : ["--input", "--fhir-server", "--token", "--out", "--bootstrap", "--seed"];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = demo ? 1 : 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!allowed.Contains(name))
                throw new UsageException(name.StartsWith('-')
                    ? $"Unknown option '{name}'{(demo ? $" for {GenerateDemoVerb}" : "")}. Options: {string.Join(", ", allowed)}."
                    : $"Unexpected argument '{name}': every value follows its option, e.g. --input DIR.");
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"Option '{name}' needs a value.");
            if (!values.TryAdd(name, args[++i]))
                throw new UsageException($"Option '{name}' is given twice.");
        }

        var output = values.GetValueOrDefault("--out") ?? throw new UsageException("--out DIR is required: where to write the report.");
        if (demo)
            return new GenerateDemoCommand(output, Number(values, "--patients", 2000, min: 1), Number(values, "--seed", DefaultSeed, min: int.MinValue));

        var input = values.GetValueOrDefault("--input");
        var server = values.GetValueOrDefault("--fhir-server");
        if ((input is null) == (server is null))
            throw new UsageException("Give either --input DIR (an export already on disk) or --fhir-server URL (to run an export), not both or neither.");
        if (values.ContainsKey("--token") && server is null)
            throw new UsageException("--token is only used with --fhir-server.");
        Uri? serverUrl = null;
        if (server is not null && (!Uri.TryCreate(server, UriKind.Absolute, out serverUrl) || serverUrl.Scheme is not ("http" or "https")))
            throw new UsageException($"--fhir-server '{server}' is not an http(s) URL.");
        return new ValidateCommand(input, serverUrl, values.GetValueOrDefault("--token"), output,
            Number(values, "--bootstrap", 1000, min: 1), Number(values, "--seed", DefaultSeed, min: int.MinValue));
    }

    private static int Number(Dictionary<string, string> values, string name, int fallback, int min)
    {
        if (!values.TryGetValue(name, out var text))
            return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new UsageException($"{name} '{text}' is not a whole number{(min > int.MinValue ? $" of at least {min}" : "")}.");
    }
}
