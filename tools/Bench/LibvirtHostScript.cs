using System.Diagnostics;

namespace CloudBus.Bench;

/// <summary>
/// One emulated KVM host for a benchmark: an unprivileged libvirtd (scripts/lib/libvirt.sh) and a
/// watchdog emulator (tools/WatchdogEmulator) that "resets" it like a power loss. Its agent is
/// started by the benchmark and recorded here, so a power-off kills it too.
/// </summary>
public sealed class LibvirtHostScript : IAsyncDisposable
{
    private readonly Process _watchdog;

    private LibvirtHostScript(string directory, Process watchdog)
    {
        Directory = directory;
        _watchdog = watchdog;
    }

    public string Directory { get; }

    public string QemuUri => $"qemu:///session?socket={Path.Combine(Directory, "run", "libvirt", "libvirt-sock")}";

    /// <summary>What the host's agent sets <c>HostAgent__WatchdogDevice</c> to.</summary>
    public string WatchdogDevice => $"unix:{Path.Combine(Directory, "watchdog.sock")}";

    public static async Task<LibvirtHostScript> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("cb-bench-kvm-").FullName;
        await RunAsync("cloudbus_libvirtd_start", [directory]);
        var emulator = Path.Combine(BenchProcess.RepositoryRoot, "tools", "WatchdogEmulator", "bin", "Release", "net10.0", "CloudBus.WatchdogEmulator.dll");
        var library = Path.Combine(BenchProcess.RepositoryRoot, "scripts", "lib", "libvirt.sh");
        var socket = Path.Combine(directory, "watchdog.sock");
        var watchdog = Process.Start(new ProcessStartInfo("dotnet",
            [emulator, "--socket", socket, "--reset", $"source '{library}' && cloudbus_host_power_off '{directory}'"]) { RedirectStandardOutput = true })!;
        watchdog.OutputDataReceived += (_, line) => { if (line.Data is not null) Console.Error.WriteLine($"[watchdog {Path.GetFileName(directory)}] {line.Data}"); };
        watchdog.BeginOutputReadLine();
        await BenchSupport.WaitAsync(() => Task.FromResult(File.Exists(socket)), TimeSpan.FromSeconds(30), "the watchdog emulator to listen");
        return new LibvirtHostScript(directory, watchdog);
    }

    /// <summary>Records the host's agent, so that a power-off or a watchdog reset kills it too.</summary>
    public Task RecordAgentAsync(BenchProcess agent) => File.WriteAllTextAsync(Path.Combine(Directory, "agent.pid"), $"{agent.Pid}");

    /// <summary>The host loses power: agent, libvirtd and every qemu killed at once.</summary>
    public Task PowerOffAsync() => RunAsync("cloudbus_host_power_off", [Directory]);

    public async ValueTask DisposeAsync()
    {
        // The watchdog first: stopping the agent must not make it "reset" the host.
        if (!_watchdog.HasExited) _watchdog.Kill();
        await _watchdog.WaitForExitAsync();
        _watchdog.Dispose();
        await RunAsync("cloudbus_libvirtd_stop", [Directory]);
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static async Task RunAsync(string function, IEnumerable<string> arguments)
    {
        var script = Path.Combine(BenchProcess.RepositoryRoot, "scripts", "lib", "libvirt.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"source \"$0\" && {function} \"$@\"", script, .. arguments])
        {
            RedirectStandardOutput = true,
        })!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{function} failed (exit {process.ExitCode})");
    }
}
