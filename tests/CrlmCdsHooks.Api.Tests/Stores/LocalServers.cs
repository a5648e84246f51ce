using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CrlmCdsHooks.Api.Tests.Stores;

/// <summary>Runs the real database servers from Debian's packages for the tests: free loopback ports, temporary directories.</summary>
internal static class LocalServers
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command to its end; throws with its output when it fails.</summary>
    /// <param name="asUser">Runs it as this system user (through <c>runuser</c>) when the tests run as root.</param>
    public static async Task RunAsync(string program, string arguments, string? asUser = null)
    {
        var (file, args) = asUser is not null && Environment.UserName == "root"
            ? ("runuser", $"-u {asUser} -- {program} {arguments}")
            : (program, arguments);
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {await output} {await errors}");
    }

    /// <summary>Waits until something accepts TCP connections on the loopback port.</summary>
    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }
}

/// <summary>
/// PostgreSQL 15 (Debian's <c>postgresql</c>): a cluster in a temporary directory owned by the <c>postgres</c> user
/// (initdb refuses root), listening on a free loopback port. It can be stopped and started again with its data.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("crlm-pg-");
    private string DataDirectory => Path.Combine(_root.FullName, "data");

    public int Port { get; } = LocalServers.FreePort();

    /// <summary>The Npgsql connection string of a database of its own for <paramref name="database"/>.</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    private static string Bin(string tool) =>
        Path.Combine(Directory.GetDirectories("/usr/lib/postgresql").Max(StringComparer.Ordinal) ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql)."), "bin", tool);

    public async Task InitializeAsync()
    {
        await LocalServers.RunAsync("chown", $"postgres:postgres {_root.FullName}");
        await LocalServers.RunAsync(Bin("initdb"), $"-D {DataDirectory} -A trust -U postgres --no-sync", asUser: "postgres");
        await StartAsync();
    }

    public Task StartAsync() => LocalServers.RunAsync(Bin("pg_ctl"),
        $"start -w -D {DataDirectory} -l {Path.Combine(_root.FullName, "log")} -o \"-p {Port} -k {_root.FullName} -c listen_addresses=127.0.0.1 -c fsync=off\"", asUser: "postgres");

    public Task StopAsync() => LocalServers.RunAsync(Bin("pg_ctl"), $"stop -w -m fast -D {DataDirectory}", asUser: "postgres");

    public async Task DisposeAsync()
    {
        await StopAsync();
        _root.Delete(recursive: true);
    }
}

/// <summary>Debian's <c>redis-server</c> on a free loopback port, nothing saved to disk.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; } = LocalServers.FreePort();

    /// <summary>The StackExchange.Redis connection string (<c>ConnectionStrings:Redis</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server", $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server).");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await LocalServers.WaitForPortAsync(Port, TimeSpan.FromSeconds(20));
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
