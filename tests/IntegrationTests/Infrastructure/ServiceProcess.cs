using System.Collections.Concurrent;
using System.Diagnostics;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// One service running as its own operating-system process, as in production: its own bus
/// connection, its own database pool. Keeps the last lines of its output for failure messages, and
/// all of it for searches.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptLines = 300;
    private const int MaxLinesForSearch = 50_000;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _everything = new();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    // Only for the readiness probe of a service serving https: whose certificate it is, is what the tests check.
    private static readonly HttpClient AnyCertificateHttp = new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    }) { Timeout = TimeSpan.FromSeconds(5) };

    private ServiceProcess(string name, Uri baseAddress, Process process)
    {
        Name = name;
        BaseAddress = baseAddress;
        _process = process;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public bool HasExited => _process.HasExited;
    public int ProcessId => _process.Id;
    public int ExitCode => _process.ExitCode;
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>Every line the service printed (its first 50,000), for a search over its whole life, such as for a leaked secret.</summary>
    public IEnumerable<string> AllOutput => _everything;

    /// <param name="project">The folder under services/, for example "VmLifecycle".</param>
    /// <param name="https">Serve https (a host agent with mutual TLS) instead of http.</param>
    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment, string? name = null, bool https = false)
    {
        var baseAddress = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{FreePort.Next()}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServiceBinaries.DllOf(project));
        start.Environment["ASPNETCORE_URLS"] = baseAddress.GetLeftPart(UriPartial.Authority);
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(name ?? project, baseAddress, process);
        process.OutputDataReceived += (_, line) => service.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => service.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (broker connected, database reachable).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                if (_process.HasExited) throw new ServiceExitedException(this);
                var http = BaseAddress.Scheme == Uri.UriSchemeHttps ? AnyCertificateHttp : Http;
                using var response = await http.GetAsync(new Uri(BaseAddress, "health/ready"));
                return response.IsSuccessStatusCode;
            }, timeout, $"{Name} to be ready");
        }
        catch (TimeoutException timeoutException)
        {
            throw new TimeoutException($"{timeoutException.Message}\n--- {Name} output ---\n{RecentOutput}");
        }
    }

    /// <summary>Kills the process at once, as a crash would: no clean shutdown, nothing flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Asks the process to shut down cleanly (SIGTERM), as an operator or orchestrator would.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
        await WaitForExitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > KeptLines) _output.TryDequeue(out _);
        if (_everything.Count < MaxLinesForSearch) _everything.Enqueue(line);
    }
}

public sealed class ServiceExitedException(ServiceProcess service)
    : Exception($"{service.Name} exited with code {service.ExitCode}.\n--- output ---\n{service.RecentOutput}");
