using System.CommandLine;
using System.Globalization;

namespace CloudBus.Cli.Operate;

/// <summary><c>cloudbus hosts</c> and <c>cloudbus vms</c>: the fleet as VmLifecycle records it.</summary>
internal static class FleetCommands
{
    public static IEnumerable<Command> Create() => [Hosts(), Vms()];

    private static Command Hosts()
    {
        var command = new Command("hosts", "Lists the hosts: status, capacity used, maintenance and BMC.");
        StackCommand.SetAction(command, async (_, api, output, ct) =>
            output.Write(await api.HostsAsync(ct), hosts => Output.Table(null,
                ["HOST", "STATUS", "CLUSTER", "CPU", "MEMORY MiB", "MAINTENANCE", "BMC"],
                hosts.Select(h => new[]
                {
                    h.HostId, h.Enabled ? h.Status : $"{h.Status} (disabled)", h.Cluster, $"{h.CpuUsed}/{h.CpuCores}",
                    $"{h.MemoryUsed}/{h.MemoryMib}", h.InMaintenance ? h.MaintenanceReason ?? "yes" : "no", h.BmcAddress,
                }))));
        return command;
    }

    private static Command Vms()
    {
        var command = new Command("vms", "Lists the VMs: state, host, HA level and why they are in their state.");
        StackCommand.SetAction(command, async (_, api, output, ct) =>
            output.Write(await api.VmsAsync(ct), vms => Output.Table(null,
                ["VM", "NAME", "STATE", "HOST", "HA", "RUN", "REASON"],
                vms.Select(v => new[]
                {
                    v.VmId.ToString(), v.Name, v.State, v.HostId, v.HaLevel, v.Incarnation.ToString(CultureInfo.InvariantCulture), v.StateReason,
                }))));
        return command;
    }
}
