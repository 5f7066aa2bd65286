using System.CommandLine;
using System.Globalization;
using CloudBus.HaOrchestrator.Incidents;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus incidents</c>, <c>cloudbus incident show ID</c> (the timeline: suspected, each
/// reading, the verdict, how the host was fenced, each VM placed and running, the total time) and
/// <c>cloudbus restarts</c>: what HaOrchestrator did about failed hosts.
/// </summary>
internal static class IncidentCommands
{
    public static IEnumerable<Command> Create() => [Incidents(), Incident(), Restarts()];

    private static Command Incidents()
    {
        var host = new Option<string>("--host") { Description = "Only the incidents of this host." };
        var command = new Command("incidents", "Lists host incidents, newest first.") { host };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
            output.Write(await api.IncidentsAsync(result.GetValue(host), ct), incidents => Output.Table(null,
                ["INCIDENT", "HOST", "STATUS", "VERDICT", "SUSPECTED", "CLOSED", "TOOK"],
                incidents.Select(i => new[]
                {
                    i.IncidentId.ToString(), i.HostId, i.Status.ToString(), i.Verdict?.ToString(), Output.Time(i.SuspectedAt), Output.Time(i.ClosedAt),
                    i.ClosedAt is { } closed ? Output.Seconds(closed - i.SuspectedAt) : "open",
                }))));
        return command;
    }

    private static Command Incident()
    {
        var incident = new Command("incident", "One host incident.");
        var id = new Argument<Guid>("INCIDENT") { Description = "The incident's id (cloudbus incidents lists them)." };
        var show = new Command("show", "Shows an incident's timeline, each step with its time from the suspicion and its evidence.") { id };
        StackCommand.SetAction(show, async (result, api, output, ct) =>
            output.Write(await api.IncidentAsync(result.GetValue(id), ct), Timeline));
        incident.Subcommands.Add(show);
        return incident;
    }

    private static void Timeline(Incident incident)
    {
        Output.Fields(
        [
            ("Incident", incident.IncidentId.ToString()), ("Host", $"{incident.HostId} (cluster {incident.Cluster ?? "-"})"),
            ("Status", incident.Status.ToString()), ("Verdict", incident.Verdict?.ToString()), ("Suspected", Output.Time(incident.SuspectedAt)),
            ("Closed", incident.ClosedAt is { } closed ? $"{Output.Time(closed)}, {Output.Seconds(closed - incident.SuspectedAt)} after the suspicion" : "open"),
            ("Trace", incident.TraceId),
        ]);
        Output.Table("Timeline", ["+TIME", "STEP", "DETAIL", "EVIDENCE"],
            incident.Timeline.Select(step => new[]
            {
                "+" + Output.Seconds(step.At - incident.SuspectedAt), step.Step, step.Detail, string.Join("\n", step.Evidence),
            }));
    }

    private static Command Restarts()
    {
        var command = new Command("restarts", "Lists HA restarts: each VM of a failed host, where it runs now, attempts and errors.");
        StackCommand.SetAction(command, async (_, api, output, ct) =>
            output.Write(await api.RestartsAsync(ct), restarts => Output.Table(null,
                ["VM", "FROM", "STATUS", "ON", "ATTEMPTS", "REQUESTED", "LAST ERROR"],
                restarts.Select(r => new[]
                {
                    r.VmId.ToString(), r.HostId, r.Status.ToString(), r.RestartedOn, r.Attempts.ToString(CultureInfo.InvariantCulture),
                    Output.Time(r.RequestedAt), r.LastError,
                }))));
        return command;
    }
}
