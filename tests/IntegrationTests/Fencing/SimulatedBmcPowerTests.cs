using System.Diagnostics;
using CloudBus.HaOrchestrator.Fencing;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudBus.IntegrationTests.Fencing;

/// <summary>
/// IpmiPowerClient running the real ipmitool against simulated BMCs (ipmi_sim) whose chassis hook
/// switches simulated hosts of a real HostAgent. Each test uses its own host, so the order of the
/// tests does not matter.
/// </summary>
public sealed class SimulatedBmcPowerTests(FleetWithBmcs fleet) : IClassFixture<FleetWithBmcs>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    private IpmiPowerClient Client(Action<FencingOptions>? change = null)
    {
        var options = new FencingOptions { BmcPasswordFile = fleet.Bmcs.PasswordFile, BmcCallTimeout = CallTimeout };
        change?.Invoke(options);
        return new IpmiPowerClient(Options.Create(options), TimeProvider.System, NullLogger<IpmiPowerClient>.Instance);
    }

    [Fact]
    public async Task Power_off_through_the_bmc_cuts_the_simulated_hosts_power()
    {
        var bmc = fleet.Bmcs.EndpointOf("host-1");
        var client = Client();
        Assert.Equal(BmcPowerState.On, (await client.GetPowerAsync("host-1", bmc, CancellationToken.None)).Power);

        var result = await client.PowerOffAsync("host-1", bmc, CancellationToken.None);

        Assert.True(result.Succeeded, result.ToString());
        // The hook finishes before the BMC answers, so the host is off by the time the call returns.
        Assert.False(await fleet.IsPoweredOnAsync("host-1"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => fleet.Http.GetAsync(new Uri(fleet.Agent.BaseAddress, "hosts/host-1/ping")));
        Assert.Equal(BmcPowerState.Off, (await client.GetPowerAsync("host-1", bmc, CancellationToken.None)).Power);
    }

    [Fact]
    public async Task Each_bmc_tells_its_own_system_guid_the_same_every_time()
    {
        var client = Client();

        var first = await client.GetGuidAsync("host-1", fleet.Bmcs.EndpointOf("host-1"), CancellationToken.None);
        var again = await client.GetGuidAsync("host-1", fleet.Bmcs.EndpointOf("host-1"), CancellationToken.None);
        var other = await client.GetGuidAsync("host-2", fleet.Bmcs.EndpointOf("host-2"), CancellationToken.None);

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", first.SystemGuid);
        Assert.Equal(first.SystemGuid, again.SystemGuid);
        Assert.NotEqual(first.SystemGuid, other.SystemGuid);
    }

    [Fact]
    public async Task A_hosts_own_login_from_the_credentials_file_is_used_for_its_bmc_only()
    {
        var password = (await File.ReadAllTextAsync(fleet.Bmcs.PasswordFile)).Trim();
        var credentials = Path.Combine(fleet.Bmcs.Directory, "credentials.json");
        if (!File.Exists(credentials))
            SecretFile.Write(credentials, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["host-1"] = new { username = SimulatedBmcs.Username, password },
                ["host-2"] = new { username = SimulatedBmcs.Username, password = "not-the-password" },
            }));
        var client = Client(options => (options.BmcPasswordFile, options.BmcCredentialsFile) = (null, credentials));

        var own = await client.GetGuidAsync("host-1", fleet.Bmcs.EndpointOf("host-1"), CancellationToken.None);
        var wrong = await client.GetGuidAsync("host-2", fleet.Bmcs.EndpointOf("host-2"), CancellationToken.None);
        var none = await client.GetGuidAsync("host-4", fleet.Bmcs.EndpointOf("host-4"), CancellationToken.None);

        Assert.True(own.Succeeded, own.ToString());
        Assert.Equal(BmcFailure.CredentialsRejected, wrong.Failure);
        Assert.Equal(BmcFailure.PasswordUnavailable, none.Failure);
        Assert.Contains("host-4", none.Error);
    }

    [Fact]
    public async Task Wrong_password_is_a_credential_error_and_powers_nothing_off()
    {
        var bmc = fleet.Bmcs.EndpointOf("host-2");
        var wrongPasswordFile = Path.Combine(fleet.Bmcs.Directory, "wrong-password");
        if (!File.Exists(wrongPasswordFile)) SecretFile.Write(wrongPasswordFile, "not-the-password");
        var client = Client(options => options.BmcPasswordFile = wrongPasswordFile);

        var result = await client.PowerOffAsync("host-2", bmc, CancellationToken.None);

        Assert.Equal(BmcFailure.CredentialsRejected, result.Failure);
        Assert.Contains(bmc.ToString(), result.Error);
        Assert.DoesNotContain("not-the-password", result.Error);
        Assert.True(await fleet.IsPoweredOnAsync("host-2"));
    }

    [Fact]
    public async Task Stopped_bmc_is_unreachable_within_the_call_timeout()
    {
        await fleet.Bmcs.StopAsync("host-3");
        var elapsed = Stopwatch.StartNew();

        var result = await Client().PowerOffAsync("host-3", fleet.Bmcs.EndpointOf("host-3"), CancellationToken.None);

        Assert.Equal(BmcFailure.Unreachable, result.Failure);
        Assert.InRange(elapsed.Elapsed, CallTimeout, CallTimeout + TimeSpan.FromSeconds(2));
        Assert.True(await fleet.IsPoweredOnAsync("host-3"));
        Assert.Empty(IpmitoolProcessesFor(fleet.Bmcs.EndpointOf("host-3")));
    }

    [Fact]
    public async Task Password_reaches_ipmitool_through_its_environment_and_never_its_command_line()
    {
        // A stopped BMC keeps ipmitool retrying for the whole call: time to look at the process.
        await fleet.Bmcs.StopAsync("host-4");
        var bmc = fleet.Bmcs.EndpointOf("host-4");
        var password = (await File.ReadAllTextAsync(fleet.Bmcs.PasswordFile)).Trim();
        var call = Client().GetPowerAsync("host-4", bmc, CancellationToken.None);

        var pid = await Eventually.ReturnsAsync(() => Task.FromResult(IpmitoolProcessesFor(bmc).FirstOrDefault()),
            found => found != 0, CallTimeout, $"an ipmitool process for {bmc}");
        var commandLine = ReadProc(pid, "cmdline");
        var environment = ReadProc(pid, "environ");
        await call;

        Assert.DoesNotContain(password, commandLine);
        Assert.Contains("-E", commandLine.Split('\0'));
        Assert.Contains($"{IpmitoolCommand.PasswordVariable}={password}", environment.Split('\0'));
    }

    [Fact]
    public async Task Cancelled_call_kills_its_ipmitool_and_throws()
    {
        await fleet.Bmcs.StopAsync("host-3");
        var bmc = fleet.Bmcs.EndpointOf("host-3");
        using var cancel = new CancellationTokenSource();
        var call = Client(options => options.BmcCallTimeout = TimeSpan.FromSeconds(30)).PowerOffAsync("host-3", bmc, cancel.Token);
        await Eventually.HoldsAsync(() => Task.FromResult(IpmitoolProcessesFor(bmc).Count > 0), CallTimeout, $"an ipmitool process for {bmc}");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(IpmitoolProcessesFor(bmc));
    }

    /// <summary>Pids of running ipmitool processes talking to <paramref name="bmc"/>.</summary>
    private static List<int> IpmitoolProcessesFor(BmcEndpoint bmc)
    {
        var pids = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            var arguments = ReadProc(pid, "cmdline").Split('\0');
            if (arguments.Length > 0 && Path.GetFileName(arguments[0]) == "ipmitool" && arguments.Contains(bmc.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                pids.Add(pid);
        }

        return pids;
    }

    // A process may end while being read: that reads as nothing.
    private static string ReadProc(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
