using System.Diagnostics;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// tools/WatchdogEmulator for one emulated host, resetting it as a power loss would: its agent
/// (the pid in the daemon's <c>agent.pid</c>, if written), its libvirtd and qemu processes killed.
/// </summary>
public sealed class WatchdogEmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private WatchdogEmulatorProcess(Process process, string socket)
    {
        _process = process;
        Socket = socket;
    }

    public string Socket { get; }

    /// <summary>What an agent sets <c>HostAgent:WatchdogDevice</c> to.</summary>
    public string Device => $"unix:{Socket}";

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Starts the emulator for the host of <paramref name="daemon"/> and waits until it listens.</summary>
    public static async Task<WatchdogEmulatorProcess> StartAsync(LibvirtDaemon daemon)
    {
        var socket = Path.Combine(daemon.Directory, "watchdog.sock");
        var library = Path.Combine(ServiceBinaries.RepositoryRoot, "scripts", "lib", "libvirt.sh");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { ServiceBinaries.ToolDllOf("WatchdogEmulator"), "--socket", socket, "--reset",
                     $"source '{library}' && cloudbus_host_power_off '{daemon.Directory}'" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var emulator = new WatchdogEmulatorProcess(process, socket);
        process.OutputDataReceived += (_, line) => emulator.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => emulator.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.HoldsAsync(() => Task.FromResult(emulator.Output.Contains("listening on", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the watchdog emulator to listen");
        return emulator;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }
}
