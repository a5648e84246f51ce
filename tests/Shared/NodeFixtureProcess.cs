using System.Diagnostics;
using System.Text;

namespace CrlmCdsHooks.TestData;

/// <summary>
/// One of the Node.js test fixtures of tests/fhir-server (the FHIR server, the SMART authorization server), started on a
/// free loopback port. It prints one ready line on stdout; disposing kills it with its whole process tree.
/// </summary>
public sealed class NodeFixtureProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private NodeFixtureProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (_errors)
                    _errors.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
    }

    public static string Directory { get; } = Path.GetFullPath(Path.Combine(Examples.Directory, "..", "..", "tests", "fhir-server"));

    /// <summary>The URL from the ready line, without a trailing slash.</summary>
    public string Url { get; private set; } = "";

    /// <summary>What the process wrote to stderr so far, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
                return _errors.ToString();
        }
    }

    /// <summary>Runs <c>npm ci</c> once, when the fixtures' packages are not installed.</summary>
    public static async Task EnsurePackagesAsync()
    {
        if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
            return;
        using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.StandardOutput.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
            throw new InvalidOperationException($"npm ci failed in {Directory}: {await errors}");
    }

    /// <summary>Runs <c>node {script} {arguments}</c> to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var node = Process.Start(start) ?? throw new InvalidOperationException($"node {script} did not start.");
        var errors = node.StandardError.ReadToEndAsync();
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        return (node.ExitCode, output, await errors);
    }

    /// <summary>Starts <c>node {script}</c> and waits for its line <c>{readyPrefix}{url}</c>.</summary>
    public static async Task<NodeFixtureProcess> StartAsync(string script, string readyPrefix, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PORT"] = "0";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var fixture = new NodeFixtureProcess(Process.Start(start) ?? throw new InvalidOperationException($"node {script} did not start."));
        var ready = fixture._process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(StartTimeout)) != ready || await ready is not { } line || !line.StartsWith(readyPrefix, StringComparison.Ordinal))
        {
            fixture.Dispose();
            throw new InvalidOperationException($"node {script} did not print '{readyPrefix}…' within {StartTimeout.TotalSeconds} s. stderr: {fixture.Errors}");
        }
        fixture.Url = line[readyPrefix.Length..].Trim().TrimEnd('/');
        return fixture;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
