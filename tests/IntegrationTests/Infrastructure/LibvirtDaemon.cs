using System.Globalization;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A private, unprivileged libvirtd (one "hypervisor host"), started and stopped by
/// scripts/lib/libvirt.sh, the same code ./up.sh uses. It serves QEMU domains (TCG) at
/// <see cref="QemuUri"/> and libvirt's test driver at <see cref="TestUri"/>.
/// </summary>
public sealed class LibvirtDaemon : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);

    private LibvirtDaemon(string directory) => Directory = directory;

    /// <summary>The daemon's folder (its log is <c>libvirtd.log</c>); removed on dispose.</summary>
    public string Directory { get; }

    public string Socket => Path.Combine(Directory, "run", "libvirt", "libvirt-sock");

    public string QemuUri => $"qemu:///session?socket={Socket}";

    /// <summary>The test driver: shared by every connection while one stays open, reset when the last closes.</summary>
    public string TestUri => $"test+unix:///default?socket={Socket}";

    public static async Task<LibvirtDaemon> StartAsync()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The libvirt daemons of the tests run on Linux.");
        // Short: the daemon's socket path must fit a unix socket address (108 bytes).
        var directory = System.IO.Directory.CreateTempSubdirectory("cb-libvirt-").FullName;
        var daemon = new LibvirtDaemon(directory);
        try
        {
            await RunScriptAsync("cloudbus_libvirtd_start", [directory]);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
        return daemon;
    }

    /// <summary>Restarts the daemon only: its domains keep running, its clients are disconnected.</summary>
    public Task RestartAsync() => RunScriptAsync("cloudbus_libvirtd_restart", [Directory]);

    /// <summary>The pid of the qemu process running <paramref name="domain"/>.</summary>
    public async Task<int> QemuPidAsync(string domain)
    {
        var file = Path.Combine(Directory, "run", "libvirt", "qemu", "run", $"{domain}.pid");
        return int.Parse((await File.ReadAllTextAsync(file)).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>An empty qcow2 image the daemon's user may open (a VM's disk; nothing boots from it).</summary>
    public async Task<string> CreateDiskImageAsync(string name)
    {
        var images = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "images")).FullName;
        var path = Path.Combine(images, name + ".qcow2");
        await ShellCommand.RunAsync("qemu-img", ["create", "-q", "-f", "qcow2", path, "16M"], ScriptTimeout, "creating a disk image");
        await ShellCommand.RunAsync("chown", ["-R", "65534:65534", images], ScriptTimeout, "handing the images to the daemon's user");
        return path;
    }

    /// <summary>Hot-plugs a qcow2 disk into a running domain, as an operator would with virsh.</summary>
    public Task HotPlugDiskAsync(string domain, string image, string target) =>
        ShellCommand.RunAsync("virsh", ["-q", "-c", QemuUri, "attach-disk", domain, image, target, "--live", "--subdriver", "qcow2", "--targetbus", "virtio"],
            ScriptTimeout, $"hot-plugging {target} into {domain}");

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync("cloudbus_libvirtd_stop", [Directory]);
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static Task RunScriptAsync(string function, IEnumerable<string> arguments) =>
        ShellScripts.RunAsync("libvirt.sh", function, arguments, ScriptTimeout);
}
