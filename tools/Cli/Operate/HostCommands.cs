using System.CommandLine;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.Cli.Operate;

/// <summary><c>cloudbus host show|add|maintenance|enable</c>: one hypervisor host as VmLifecycle records it.</summary>
internal static class HostCommands
{
    public static Command Create()
    {
        var host = new Command("host", "One host: show it, register it, take it out of service and back.");
        foreach (var command in new[] { Show(), Add(), Maintenance(), Enable() }) host.Subcommands.Add(command);
        return host;
    }

    private static Argument<string> HostId() => new("HOST") { Description = "The host's id (cloudbus hosts lists them)." };

    private static Command Show()
    {
        var id = HostId();
        var command = new Command("show", "Shows one host: status, capacity used, maintenance, agent and BMC addresses.") { id };
        StackCommand.SetAction(command, async (result, api, output, ct) => output.Write(await api.HostAsync(result.GetValue(id)!, ct), Print));
        return command;
    }

    private static Command Add()
    {
        var id = HostId();
        var agent = new Option<string>("--agent") { Description = "Where the control plane reaches its agent, e.g. https://10.0.0.5:7070/.", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "Its cluster: the hosts that share its storage and watch its heartbeat.", Required = true };
        var cpu = new Option<int>("--cpu") { Description = "CPU cores VMs may use.", Required = true };
        var memory = new Option<int>("--memory-mib") { Description = "Memory VMs may use, in MiB.", Required = true };
        var bmc = new Option<string>("--bmc") { Description = "Its BMC (IPMI over LAN), host:port: how HA powers it off when it fails." };
        var tags = new Option<string[]>("--tag") { Description = "A tag placement can prefer (repeatable)." };
        var command = new Command("add", "Registers a host (admin).") { id, agent, cluster, cpu, memory, bmc, tags };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
            output.Write(await api.RegisterHostAsync(new RegisterHostRequest(result.GetValue(id), result.GetValue(agent), result.GetValue(cluster),
                result.GetValue(cpu), result.GetValue(memory), result.GetValue(tags) ?? [], BmcAddress: result.GetValue(bmc)), ct), Print));
        return command;
    }

    private static Command Maintenance() => Switch("maintenance", "Takes a host out of service: no new VMs, and HA does not act on it.", inMaintenance: true);

    private static Command Enable() => Switch("enable", "Puts a host in maintenance back into service.", inMaintenance: false);

    private static Command Switch(string name, string description, bool inMaintenance)
    {
        var id = HostId();
        var reason = new Option<string>("--reason") { Description = "Why, for the record (shown with the host)." };
        var command = new Command(name, description) { id, reason };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
            output.Write(await api.SetMaintenanceAsync(result.GetValue(id)!, new MaintenanceRequest(inMaintenance, result.GetValue(reason)), ct),
                change => Console.Out.WriteLine(
                    $"{change.HostId}: {(change.InMaintenance ? "in maintenance" : "in service")} ({change.Reason}){(change.Changed ? "" : "; it already was")}")));
        return command;
    }

    private static void Print(HostView h) => Output.Fields(
    [
        ("Host", h.HostId), ("Status", h.Enabled ? h.Status : $"{h.Status} (disabled)"), ("Cluster", h.Cluster),
        ("CPU", $"{h.CpuUsed} of {h.CpuCores} cores used"), ("Memory", $"{h.MemoryUsed} of {h.MemoryMib} MiB used"),
        ("Storage", h.StorageGib is { } storage ? $"{h.StorageUsed} of {storage} GiB used" : "-"),
        ("Maintenance", h.InMaintenance ? h.MaintenanceReason ?? "yes" : "no"), ("Tags", h.Tags.Count == 0 ? "-" : string.Join(", ", h.Tags)),
        ("Agent", string.Join(", ", new[] { h.AgentAddress }.Concat(h.AlternateAgentAddresses ?? []))),
        ("BMC", h.BmcAddress is null ? "-" : string.Join(", ", new[] { h.BmcAddress }.Concat(h.AlternateBmcAddresses ?? []))),
    ]);
}
