using System.CommandLine;
using System.Globalization;
using CloudBus.Cli.Api;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.NodeRegistry.Persistence;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus status</c>: the whole system at a glance (hosts and VMs by state, incidents still
/// open, each service's ring), and <c>cloudbus ring [SERVICE]</c>: the members of the rings.
/// </summary>
internal static class StatusCommand
{
    public static IEnumerable<Command> Create() => [Status(), Ring()];

    private static Command Status()
    {
        var command = new Command("status", "Hosts and VMs by state, open incidents, and the instances of each service.");
        StackCommand.SetAction(command, async (_, api, output, ct) => output.Write(await ReadAsync(api, ct), Print));
        return command;
    }

    private static Command Ring()
    {
        var service = new Argument<string?>("SERVICE") { Description = "One service (host-monitor, ...); all when left out.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("ring", "The instances of each service, as NodeRegistry's ring has them, and its epoch.") { service };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
        {
            IReadOnlyList<StoredRing> rings = result.GetValue(service) is { } one ? [await api.RingAsync(one, ct)] : await api.RingsAsync(ct);
            output.Write(rings, PrintRings);
        });
        return command;
    }

    private static async Task<SystemStatus> ReadAsync(ControlPlaneClient api, CancellationToken ct)
    {
        var hosts = await api.HostsAsync(ct);
        var vms = await api.VmsAsync(ct);
        var incidents = await api.IncidentsAsync(null, ct);
        var rings = await api.RingsAsync(ct);
        return new SystemStatus(
            hosts.Count, hosts.CountBy(h => h.Status).ToDictionary(),
            vms.Count, vms.CountBy(v => v.State).ToDictionary(),
            [.. incidents.Where(i => i.ClosedAt is null)], rings);
    }

    private static void Print(SystemStatus status)
    {
        Output.Table($"{status.Hosts} hosts, {status.Vms} VMs", ["", "BY STATE"],
        [
            ["hosts", ByState(status.HostsByState)],
            ["VMs", ByState(status.VmsByState)],
        ]);
        Output.Table($"{status.OpenIncidents.Count} open incidents", ["INCIDENT", "HOST", "STATUS", "SUSPECTED"],
            status.OpenIncidents.Select(i => new[] { i.IncidentId.ToString(), i.HostId, i.Status.ToString(), Output.Time(i.SuspectedAt) }));
        PrintRings(status.Rings);
    }

    private static void PrintRings(IReadOnlyList<StoredRing> rings) =>
        Output.Table("Service instances (rings)", ["SERVICE", "EPOCH", "INSTANCES", "CHANGED"],
            rings.Select(r => new[] { r.Service, r.Epoch.ToString(CultureInfo.InvariantCulture), string.Join(", ", r.Members), Output.Time(r.ChangedAt) }));

    private static string ByState(Dictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"));

    /// <summary>What <c>status --json</c> prints.</summary>
    internal sealed record SystemStatus(
        int Hosts, Dictionary<string, int> HostsByState, int Vms, Dictionary<string, int> VmsByState,
        IReadOnlyList<Incident> OpenIncidents, IReadOnlyList<StoredRing> Rings);
}
