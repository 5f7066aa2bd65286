using System.Diagnostics;
using System.Security.Cryptography;

namespace CloudBus.Bench;

/// <summary>
/// One simulated BMC (ipmi_sim) per host through scripts/lib/bmcs.sh, the script ./up.sh and the
/// tests use, so starting BMCs is written once.
/// </summary>
public sealed class SimulatedBmcScript : IAsyncDisposable
{
    private readonly string _directory;

    private SimulatedBmcScript(string directory, string passwordFile, Dictionary<string, string> addresses)
    {
        _directory = directory;
        PasswordFile = passwordFile;
        Addresses = addresses;
    }

    public string PasswordFile { get; }

    /// <summary>Each host's BMC as <c>host:port</c>.</summary>
    public IReadOnlyDictionary<string, string> Addresses { get; }

    /// <param name="backDoor">The simulated fleet's back door, where the BMCs switch the hosts' power.</param>
    public static async Task<SimulatedBmcScript> StartAsync(Uri backDoor, IEnumerable<string> hostIds)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Simulated BMCs (ipmi_sim) run on Linux.");
        var directory = Directory.CreateTempSubdirectory("cloudbus-bench-bmcs-").FullName;
        var passwordFile = Path.Combine(directory, "bmc-password");
        await using (var file = new FileStream(passwordFile, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        await using (var writer = new StreamWriter(file))
            await writer.WriteLineAsync(Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));

        await RunAsync("cloudbus_bmcs_start", [directory, backDoor.ToString(), passwordFile, .. hostIds]);
        var addresses = (await File.ReadAllLinesAsync(Path.Combine(directory, "bmcs.tsv")))
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[0], fields => $"{fields[1]}:{fields[2]}");
        return new SimulatedBmcScript(directory, passwordFile, addresses);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("cloudbus_bmcs_stop", [_directory]);
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task RunAsync(string function, IEnumerable<string> arguments)
    {
        var script = Path.Combine(BenchProcess.RepositoryRoot, "scripts", "lib", "bmcs.sh");
        var start = new ProcessStartInfo("bash", ["-c", $"source \"$0\" && {function} \"$@\"", script, .. arguments]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{function} failed ({process.ExitCode}): {errors}");
    }
}
