using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CloudBus.Bench;

/// <summary>A service of this repository run as its own process for a benchmark (Release build), killed at the end.</summary>
public sealed class BenchProcess : IDisposable
{
    private readonly Process _process;

    private BenchProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <param name="output">
    /// Where every line the process writes goes, stdout and stderr alike (called from two threads).
    /// Without it, stdout is dropped and stderr is echoed to the benchmark's stderr.
    /// </param>
    /// <param name="niceness">
    /// When given, the process runs under <c>nice -n</c> with it, every thread of it (a negative value,
    /// a higher priority, needs root; without, nice warns and runs it at the usual priority).
    /// </param>
    /// <param name="https">Serve https (a host agent with mutual TLS) instead of http.</param>
    public static BenchProcess Start(string project, IReadOnlyDictionary<string, string> environment, Action<string>? output = null, int? niceness = null,
        bool https = false)
    {
        var port = FreePort();
        var baseAddress = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/");
        var dll = Path.Combine(RepositoryRoot, "services", project, "bin", "Release", "net10.0", $"CloudBus.{project}.dll");
        // nice execs dotnet in place: the pid is the service's.
        var start = new ProcessStartInfo(niceness is null ? "dotnet" : "nice", niceness is { } n ? ["-n", $"{n}", "dotnet", dll] : [dll])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = baseAddress.GetLeftPart(UriPartial.Authority);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var toStdout = output ?? (_ => { });
        var toStderr = output ?? (line => Console.Error.WriteLine($"[{project}] {line}"));
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) toStdout(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) toStderr(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BenchProcess(process, baseAddress);
    }

    /// <summary>CPU seconds (user + system) the process has used, from /proc.</summary>
    public double CpuSeconds()
    {
        var fields = File.ReadAllText($"/proc/{Pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (100 Hz)
    }

    public Task WaitReadyAsync(HttpClient http, TimeSpan timeout) =>
        BenchSupport.UntilAsync(async () =>
            {
                if (_process.HasExited) throw new InvalidOperationException($"{BaseAddress} exited with code {_process.ExitCode}");
                using var response = await http.GetAsync(new Uri(BaseAddress, "health/ready"));
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromMilliseconds(200), timeout, $"{BaseAddress} not ready after {timeout}",
            notYet: failure => failure is HttpRequestException); // not listening yet

    /// <summary>kill -9: the process gets no chance to shut down cleanly (a crash, a pulled plug).</summary>
    public void KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(); // SIGKILL on Linux
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(); // gone before the caller cleans up after it (its files, its ports)
        }
        _process.Dispose();
    }

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CloudBus.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("CloudBus.sln not found");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
