using System.Security.Cryptography;
using CloudBus.HaOrchestrator.Fencing;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// One simulated BMC (OpenIPMI's ipmi_sim) per simulated host, powering hosts of a HostAgent on
/// and off. Started and stopped by scripts/lib/bmcs.sh, the same code ./up.sh uses, so the logic
/// lives in one place; this class only calls it and reads the endpoints it wrote.
/// </summary>
public sealed class SimulatedBmcs : IAsyncDisposable
{
    /// <summary>The one BMC user the script creates.</summary>
    public const string Username = "admin";

    // Only a guard against a hung script: the script gives each BMC its own deadline (45 s) and
    // names the one that does not answer. Six BMCs on a loaded 2-core machine took over 60 s.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(6);
    private readonly Dictionary<string, BmcEndpoint> _endpoints;

    private SimulatedBmcs(string directory, string passwordFile, Dictionary<string, BmcEndpoint> endpoints)
    {
        Directory = directory;
        PasswordFile = passwordFile;
        _endpoints = endpoints;
    }

    /// <summary>The BMCs' folder (logs in <c>&lt;host&gt;/ipmi_sim.log</c>); removed on dispose.</summary>
    public string Directory { get; }

    /// <summary>The file holding the BMCs' password (mode 600), as <c>Fencing:BmcPasswordFile</c> expects it.</summary>
    public string PasswordFile { get; }

    public IReadOnlyDictionary<string, BmcEndpoint> Endpoints => _endpoints;

    public BmcEndpoint EndpointOf(string hostId) => _endpoints[hostId];

    /// <summary>Starts one BMC per host, switching power through the fleet's back door at <paramref name="backDoor"/>, and waits until each answers.</summary>
    public static async Task<SimulatedBmcs> StartAsync(Uri backDoor, IEnumerable<string> hostIds)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Simulated BMCs (ipmi_sim) run on Linux.");
        var directory = System.IO.Directory.CreateTempSubdirectory("cloudbus-bmcs-").FullName;
        var passwordFile = Path.Combine(directory, "bmc-password");
        // Created unreadable to others from the first byte, as the script demands.
        await using (var file = new FileStream(passwordFile, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
        }

        try
        {
            await RunScriptAsync("cloudbus_bmcs_start", [directory, backDoor.ToString(), passwordFile, .. hostIds]);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }

        var endpoints = (await File.ReadAllLinesAsync(Path.Combine(directory, "bmcs.tsv")))
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[0], fields => new BmcEndpoint(fields[1], int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture)));
        return new SimulatedBmcs(directory, passwordFile, endpoints);
    }

    /// <summary>Stops one host's BMC: its endpoint stays known, but nothing answers there any more.</summary>
    public Task StopAsync(string hostId) => RunScriptAsync("cloudbus_bmc_stop_one", [Directory, hostId]);

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync("cloudbus_bmcs_stop", [Directory]);
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static Task RunScriptAsync(string function, IEnumerable<string> arguments) =>
        ShellScripts.RunAsync("bmcs.sh", function, arguments, ScriptTimeout);
}
