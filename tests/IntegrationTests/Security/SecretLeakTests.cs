using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// No secret shows where others can read it: not in any process's command line (anyone on the
/// machine may read /proc/PID/cmdline), not in any service's log, not in any exported span, over
/// a whole failover (detection, investigation, BMC fencing, restart) on the real servers.
/// </summary>
public sealed class SecretLeakTests(TracedHaStack stack) : IClassFixture<TracedHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task No_secret_appears_in_command_lines_logs_or_spans_during_a_failover()
    {
        var secrets = new Dictionary<string, string>
        {
            ["broker password"] = TestServers.RabbitPassword,
            ["signing key"] = (await File.ReadAllTextAsync(TestServers.SigningKeyFile)).Trim(),
            ["BMC password"] = (await File.ReadAllTextAsync(stack.Bmcs!.PasswordFile)).Trim(),
        };
        if (TestServers.PostgresPasswordFile is { } databasePasswordFile) secrets["database password"] = (await File.ReadAllTextAsync(databasePasswordFile)).Trim();
        var seenInCommandLines = new HashSet<string>();

        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "leak-watch", "host-2", "OnHostFailure");
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-2/faults/power-off", new { });
        // Polled while the failover runs, so short-lived children (ipmitool) are looked at too.
        await Eventually.ReturnsAsync(async () =>
        {
            seenInCommandLines.UnionWith(CommandLinesContaining(secrets));
            return await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}");
        }, v => v.State == "Running" && v.HostId != "host-2", Timeout, "the VM restarted elsewhere");
        await Eventually.HoldsAsync(() => Task.FromResult(stack.Receiver.Received("/v1/traces", "fence-host")), Timeout, "the fence's spans exported");

        Assert.Empty(seenInCommandLines);
        foreach (var (what, secret) in secrets)
        {
            Assert.All([.. stack.Services, stack.Agent], service => Assert.DoesNotContain(service.AllOutput, line => line.Contains(secret, StringComparison.Ordinal)));
            Assert.False(stack.Receiver.Received("/v1/traces", secret), $"the {what} is in an exported span");
            Assert.False(stack.Receiver.Received("/v1/logs", secret), $"the {what} is in an exported log record");
        }
    }

    /// <returns>"pid: which secret" for each process whose command line holds one of <paramref name="secrets"/>.</returns>
    private static IEnumerable<string> CommandLinesContaining(IReadOnlyDictionary<string, string> secrets)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue; // the process ended meanwhile
            }
            foreach (var (what, secret) in secrets)
                if (commandLine.Contains(secret, StringComparison.Ordinal)) yield return $"{Path.GetFileName(folder)}: {what}";
        }
    }
}
