using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CloudBus.Cli.Api;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.NodeRegistry.Persistence;
using Spectre.Console;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus status</c>: the whole system at a glance (hosts and VMs by state, incidents still
/// open, each service's ring; <c>--watch</c> to follow it), and <c>cloudbus ring [SERVICE]</c>: the members of the rings.
/// </summary>
internal static class StatusCommand
{
    public static IEnumerable<Command> Create() => [Status(), Ring()];

    private static Command Status()
    {
        var watch = new Option<bool>("--watch") { Description = "Show it again whenever it changes (checked every second) until Ctrl-C." };
        var command = new Command("status", "Hosts and VMs by state, open incidents, and the instances of each service.") { watch };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
        {
            if (!result.GetValue(watch))
            {
                output.Write(await ReadAsync(api, ct), Print);
                return;
            }

            string? shown = null;
            await Watching.RunAsync(token => ReadAsync(api, token), status =>
            {
                // Compared as JSON: a redraw only when something changed, so a piped watch is a log of changes.
                var now = JsonSerializer.Serialize(status, ControlPlaneClient.Json);
                if (now == shown) return false;
                shown = now;
                if (output.IsJson) Console.Out.WriteLine(now);
                else
                {
                    if (!Console.IsOutputRedirected) AnsiConsole.Clear();
                    Console.Out.WriteLine($"{Output.Time(DateTimeOffset.Now)}  (cloudbus status --watch: shown again when it changes; Ctrl-C to stop)");
                    Print(status);
                }

                return false;
            }, timeout: null, "status", ct);
        });
        return command;
    }

    private static Command Ring()
    {
        var service = new Argument<string?>("SERVICE") { Description = "One service (host-monitor, ...); all when left out.", Arity = ArgumentArity.ZeroOrOne };
        var owner = new Option<string>("--owner") { Description = "Which instance of SERVICE the ring gives this resource (a host id for host-monitor)." };
        var command = new Command("ring", "The instances of each service, as NodeRegistry's ring has them, and its epoch; or who owns a resource.") { service, owner };
        command.Validators.Add(result =>
        {
            if (result.GetValue(owner) is not null && result.GetValue(service) is null) result.AddError("--owner needs a SERVICE: cloudbus ring host-monitor --owner host-3");
        });
        StackCommand.SetAction(command, async (result, api, output, ct) =>
        {
            if (result.GetValue(owner) is { } resource)
            {
                output.Write(await api.RingOwnerAsync(result.GetValue(service)!, resource, ct),
                    found => Console.Out.WriteLine($"{found.ResourceId} belongs to {found.Owner ?? "no instance (the ring is empty)"} (ring of {found.Service}, epoch {found.Epoch})"));
                return;
            }

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
