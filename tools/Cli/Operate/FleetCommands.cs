using System.CommandLine;
using System.Globalization;

namespace CloudBus.Cli.Operate;

/// <summary><c>cloudbus hosts</c>, <c>cloudbus vms</c> and <c>cloudbus vm show ID</c>: the fleet as VmLifecycle records it.</summary>
internal static class FleetCommands
{
    public static IEnumerable<Command> Create() => [Hosts(), Vms(), Vm()];

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

    private static Command Vm()
    {
        var vm = new Command("vm", "One VM.");
        var id = new Argument<Guid>("VM") { Description = "The VM's id (cloudbus vms lists them)." };
        var show = new Command("show", "Shows one VM: state, host, run, HA settings, devices.") { id };
        StackCommand.SetAction(show, async (result, api, output, ct) =>
            output.Write(await api.VmAsync(result.GetValue(id), ct), v => Output.Fields(
            [
                ("VM", v.VmId.ToString()), ("Name", v.Name), ("State", v.State), ("Reason", v.StateReason), ("Host", v.HostId),
                ("Run (incarnation)", v.Incarnation.ToString(CultureInfo.InvariantCulture)),
                ("Size", $"{v.CpuCores} cores, {v.MemoryMib} MiB, {v.RootDiskGib} GiB root disk"),
                ("HA", $"{v.HaLevel}, restart priority {v.RestartPriority}"), ("Storage", v.StorageCluster ?? (v.ZoneWideStorage ? "zone-wide" : "-")),
                ("Updated", Output.Time(v.UpdatedAt)),
                ("Devices", v.Devices is { } d ? $"{d.Disks.Count} disks, {d.Nics.Count} NICs, reported by {d.HostId} ({d.ReportedBy})" : "-"),
            ])));
        vm.Subcommands.Add(show);
        return vm;
    }
}
