using System.CommandLine;
using CloudBus.HostAgent.Simulation;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus sim ...</c>: faults for the simulated fleet of ./up.sh, through its agent's back door
/// (failure drills: cut a host's power and watch HA at work), and the audit that no VM ever ran on
/// two hosts at once.
/// </summary>
internal static class SimCommands
{
    /// <summary>The commands and the back door's fault each one injects.</summary>
    private static readonly (string Name, string Fault, string Description)[] Faults =
    [
        ("power-off", "power-off", "Cuts the host's power: its VMs die, its heartbeat stops, it answers nobody."),
        ("power-on", "power-on", "Gives the host its power back (it boots with no VMs)."),
        ("cut-off", "cut-control-plane", "Cuts the host off from the control plane only: its neighbours still see it and its heartbeat goes on."),
        ("isolate", "isolate", "Cuts the host off from the network: no control plane, no neighbours (it self-fences)."),
        ("heal", "heal", "Takes the network faults off the host."),
    ];

    public static Command Create()
    {
        var sim = new Command("sim", "The simulated fleet (./up.sh): failure drills, and the double-run audit.");
        foreach (var (name, fault, description) in Faults) sim.Subcommands.Add(Fault(name, fault, description));
        sim.Subcommands.Add(CrashVm());
        sim.Subcommands.Add(DoubleRuns());
        return sim;
    }

    private static Command Fault(string name, string fault, string description)
    {
        var host = new Argument<string>("HOST") { Description = "The simulated host." };
        var command = new Command(name, description) { host };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
            output.Write(await api.SimulateAsync(result.GetValue(host)!, fault, ct), Print));
        return command;
    }

    private static Command CrashVm()
    {
        var host = new Argument<string>("HOST") { Description = "The simulated host the VM runs on." };
        var vm = new Argument<Guid>("VM") { Description = "The VM's id." };
        var command = new Command("crash-vm", "Crashes one VM on its host, as a guest kernel panic would (HA restarts a NeverStop VM).") { host, vm };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
            output.Write(await api.SimulateAsync(result.GetValue(host)!, $"crash-vm/{result.GetValue(vm)}", ct), Print));
        return command;
    }

    private static Command DoubleRuns()
    {
        var command = new Command("double-runs", "Lists every time one VM ran on two hosts at once: none, if HA is right. Exit code 1 if any.");
        StackCommand.SetAction(command, async (_, api, output, ct) =>
        {
            var runs = await api.DoubleRunsAsync(ct);
            output.Write(runs, found => Output.Table($"{found.Count} double runs", ["VM", "FIRST", "SECOND"], found.Select(r => new[]
            {
                r.VmId, $"{r.First.HostId} from {Output.Time(r.First.StartedAt)}", $"{r.Second.HostId} from {Output.Time(r.Second.StartedAt)}",
            })));
            if (runs.Count > 0) throw new CliException(ExitCodes.Failed, $"{runs.Count} VMs ran on two hosts at once");
        });
        return command;
    }

    private static void Print(FleetHostView host) => Console.Out.WriteLine(
        $"{host.HostId}: power {(host.PoweredOn ? "on" : "off")}, {host.VmCount} VMs" +
        (host.Faults.CutOffFromControlPlane ? ", cut off from the control plane" : "") + (host.Faults.Isolated ? ", isolated" : ""));
}
