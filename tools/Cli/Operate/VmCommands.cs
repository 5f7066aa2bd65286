using System.CommandLine;
using System.Globalization;
using CloudBus.Cli.Api;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus vm show|create|start|stop|reboot|migrate|destroy|ha</c>. The operations print the VM
/// as VmLifecycle answered; with <c>--wait</c> they follow it until it arrives (progress on stderr).
/// A refused operation (an illegal transition, no host with room) exits 6 with VmLifecycle's reason.
/// </summary>
internal static class VmCommands
{
    private static readonly string[] HaLevels = ["None", "OnHostFailure", "NeverStop"];

    private static readonly Option<bool> Wait = new("--wait") { Description = "Follow the VM until the operation is over, showing each state it passes through." };

    private static readonly Option<int> WaitSeconds = new("--timeout")
    {
        Description = "How long --wait waits, in seconds.", DefaultValueFactory = _ => 120,
    };

    public static Command Create()
    {
        var vm = new Command("vm", "One VM: show it, create it, change its power, placement or HA.");
        foreach (var command in new[] { Show(), New(), Start(), Stop(), Reboot(), Migrate(), Destroy(), Ha() }) vm.Subcommands.Add(command);
        return vm;
    }

    private static Argument<Guid> VmId() => new("VM") { Description = "The VM's id (cloudbus vms lists them)." };

    private static Command Show()
    {
        var id = VmId();
        var command = new Command("show", "Shows one VM: state, host, run, HA settings, devices.") { id };
        StackCommand.SetAction(command, async (result, api, output, ct) => output.Write(await api.VmAsync(result.GetValue(id), ct), Print));
        return command;
    }

    private static Command New()
    {
        var name = new Argument<string>("NAME") { Description = "The VM's name." };
        var cpu = new Option<int>("--cpu") { Description = "CPU cores.", DefaultValueFactory = _ => 1 };
        var memory = new Option<int>("--memory-mib") { Description = "Memory in MiB.", DefaultValueFactory = _ => 1024 };
        var ha = new Option<string>("--ha") { Description = "None, OnHostFailure (restarted elsewhere when its host fails) or NeverStop (also when it stops by itself).", DefaultValueFactory = _ => "None" };
        ha.AcceptOnlyFromAmong(HaLevels);
        var priority = new Option<int>("--priority") { Description = "Restart priority: higher restarts first after a host failure." };
        var command = new Command("create", "Creates a VM (Created: start it with cloudbus vm start).") { name, cpu, memory, ha, priority };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
            output.Write(await api.CreateVmAsync(new CreateVmRequest(result.GetValue(name), result.GetValue(cpu), result.GetValue(memory),
                result.GetValue(ha), result.GetValue(priority)), ct), Print));
        return command;
    }

    private static Command Start()
    {
        var host = new Option<string>("--host") { Description = "The host to start it on; placement chooses when left out." };
        return Operation("start", "Starts a VM.", (api, vmId, result, ct) => api.StartVmAsync(vmId, new StartVmRequest(result.GetValue(host), null), ct),
            (_, vm) => vm.State == "Running", "Running", host);
    }

    private static Command Stop()
    {
        var force = new Option<bool>("--force") { Description = "Power it off instead of asking its guest to shut down." };
        return Operation("stop", "Stops a VM.", (api, vmId, result, ct) => api.StopVmAsync(vmId, new StopVmRequest(result.GetValue(force), null), ct),
            (_, vm) => vm.State == "Stopped", "Stopped", force);
    }

    private static Command Reboot() =>
        Operation("reboot", "Reboots a VM on its host.", (api, vmId, _, ct) => api.RebootVmAsync(vmId, new OperationRequest(null), ct),
            (_, vm) => vm.State == "Running", "Running");

    private static Command Migrate()
    {
        var target = new Option<string>("--to") { Description = "The host to move it to; placement chooses when left out." };
        return Operation("migrate", "Moves a running VM to another host.",
            (api, vmId, result, ct) => api.MigrateVmAsync(vmId, new MigrateVmRequest(result.GetValue(target), null), ct),
            (before, vm) => vm.State == "Running" && vm.HostId != before.HostId, "Running on another host", target);
    }

    private static Command Destroy() =>
        Operation("destroy", "Destroys a VM (stopped first if it runs).", (api, vmId, _, ct) => api.DestroyVmAsync(vmId, new OperationRequest(null), ct),
            (_, vm) => vm.State == "Destroyed", "Destroyed");

    private static Command Ha()
    {
        var id = VmId();
        var level = new Option<string>("--level") { Description = "None, OnHostFailure or NeverStop.", Required = true };
        level.AcceptOnlyFromAmong(HaLevels);
        var priority = new Option<int>("--priority") { Description = "Restart priority: higher restarts first after a host failure." };
        var command = new Command("ha", "Sets a VM's HA level and restart priority.") { id, level, priority };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
            output.Write(await api.SetHaAsync(result.GetValue(id), new SetHaRequest(result.GetValue(level), result.GetValue(priority)), ct), Print));
        return command;
    }

    /// <summary>One power or placement operation: its request, and when <c>--wait</c> is over.</summary>
    private static Command Operation(string name, string description, Func<ControlPlaneClient, Guid, ParseResult, CancellationToken, Task<VmView>> send,
        Func<VmView, VmView, bool> arrived, string goal, params Option[] options)
    {
        var id = VmId();
        var command = new Command(name, description) { id, Wait, WaitSeconds };
        foreach (var option in options) command.Options.Add(option);
        StackCommand.SetAction(command, async (result, api, output, ct) =>
        {
            var vmId = result.GetValue(id);
            var before = result.GetValue(Wait) ? await api.VmAsync(vmId, ct) : null;
            var vm = await send(api, vmId, result, ct);
            if (before is not null)
                vm = await VmWaiter.WaitAsync(api, vm, now => arrived(before, now), goal, TimeSpan.FromSeconds(result.GetValue(WaitSeconds)), ct);
            output.Write(vm, Print);
        });
        return command;
    }

    private static void Print(VmView v) => Output.Fields(
    [
        ("VM", v.VmId.ToString()), ("Name", v.Name), ("State", v.State), ("Reason", v.StateReason), ("Host", v.HostId),
        ("Run (incarnation)", v.Incarnation.ToString(CultureInfo.InvariantCulture)),
        ("Size", $"{v.CpuCores} cores, {v.MemoryMib} MiB, {v.RootDiskGib} GiB root disk"),
        ("HA", $"{v.HaLevel}, restart priority {v.RestartPriority}"), ("Storage", v.StorageCluster ?? (v.ZoneWideStorage ? "zone-wide" : "-")),
        ("Updated", Output.Time(v.UpdatedAt)),
        ("Devices", v.Devices is { } d ? $"{d.Disks.Count} disks, {d.Nics.Count} NICs, reported by {d.HostId} ({d.ReportedBy})" : "-"),
    ]);
}
