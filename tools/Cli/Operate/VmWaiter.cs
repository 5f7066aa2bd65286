using System.Diagnostics;
using CloudBus.Cli.Api;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>--wait</c> of the VM operations: polls the VM until it is in the state the operation leads to,
/// printing each state it passes through on stderr (stdout keeps only the result, for scripts).
/// </summary>
internal static class VmWaiter
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="done">The VM has arrived (for example Running on another host after a migrate).</param>
    /// <param name="goal">What is awaited, for the messages ("Running", "Running on another host").</param>
    public static async Task<VmView> WaitAsync(ControlPlaneClient api, VmView started, Func<VmView, bool> done, string goal, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var last = started;
        Console.Error.WriteLine($"{started.Name}: {Describe(started)}; waiting until {goal} (at most {timeout.TotalSeconds:0} s)");
        using var poll = new PeriodicTimer(PollInterval);
        while (!done(last))
        {
            if (clock.Elapsed > timeout)
                throw new CliException(ExitCodes.NotReached, $"{last.Name} is still {Describe(last)} after {clock.Elapsed.TotalSeconds:0} s, not {goal}");
            await poll.WaitForNextTickAsync(ct);
            var now = await api.VmAsync(started.VmId, ct);
            if (now.State != last.State || now.HostId != last.HostId)
                Console.Error.WriteLine($"  +{clock.Elapsed.TotalSeconds,5:0.0} s  {Describe(now)}");
            last = now;
        }

        Console.Error.WriteLine($"{last.Name}: {goal} after {clock.Elapsed.TotalSeconds:0.0} s");
        return last;
    }

    private static string Describe(VmView vm) => vm.HostId is null ? $"{vm.State} ({vm.StateReason})" : $"{vm.State} on {vm.HostId} ({vm.StateReason})";
}
