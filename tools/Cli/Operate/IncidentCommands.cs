using System.CommandLine;
using System.Globalization;
using CloudBus.Cli.Api;
using CloudBus.HaOrchestrator.Api;
using CloudBus.HaOrchestrator.Incidents;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus incidents</c>, <c>cloudbus incident show ID|--host HOST [--watch]</c> (the timeline:
/// suspected, each reading, the verdict, how the host was fenced, each VM placed and running, the
/// total time), <c>cloudbus incident approve ID</c> and <c>cloudbus restarts</c>: what
/// HaOrchestrator did about failed hosts.
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
        var incident = new Command("incident", "One host incident: show or follow its timeline, approve its fence.");
        incident.Subcommands.Add(Show());
        incident.Subcommands.Add(Approve());
        return incident;
    }

    private static Command Show()
    {
        var id = new Argument<Guid?>("INCIDENT") { Description = "The incident's id (cloudbus incidents lists them); or use --host.", Arity = ArgumentArity.ZeroOrOne };
        var host = new Option<string>("--host") { Description = "The host's newest incident; with --watch its open one, or its next." };
        var watch = new Option<bool>("--watch") { Description = "Follow the incident, printing each step as HA takes it, until it is over (its restarts too)." };
        var timeout = new Option<int>("--timeout") { Description = "How long --watch waits for the incident to be over, in seconds.", DefaultValueFactory = _ => 300 };
        var show = new Command("show", "Shows an incident's timeline, each step with its time from the suspicion and its evidence.") { id, host, watch, timeout };
        show.Validators.Add(result =>
        {
            if ((result.GetValue(id) is null) == (result.GetValue(host) is null)) result.AddError("Name an incident id or --host HOST (one of them).");
        });
        StackCommand.SetAction(show, async (result, api, output, ct) =>
        {
            if (result.GetValue(watch))
            {
                await new IncidentFollower(api, output).FollowAsync(result.GetValue(id), result.GetValue(host), TimeSpan.FromSeconds(result.GetValue(timeout)), ct);
                return;
            }

            var incidentId = result.GetValue(id) ?? (await api.NewestIncidentAsync(result.GetValue(host)!, ct))?.IncidentId
                ?? throw new CliException(ExitCodes.NotFound, $"{result.GetValue(host)} has had no incident");
            output.Write(await api.IncidentAsync(incidentId, ct), Timeline);
        });
        return show;
    }

    private static Command Approve()
    {
        var id = new Argument<Guid>("INCIDENT") { Description = "An incident AwaitingOperator (held by the brake, or after its host's BMC changed)." };
        var onBehalfOf = new Option<string>("--for") { Description = "On whose behalf you approve; kept beside the name your token carries." };
        var approve = new Command("approve", "Approves fencing the host of an incident held for an operator (admins only); HA then fences and restarts.") { id, onBehalfOf };
        StackCommand.SetAction(approve, async (result, api, output, ct) =>
            output.Write(await api.ApproveFencingAsync(result.GetValue(id), new ApproveFencingRequest(result.GetValue(onBehalfOf)), ct),
                approval => Console.Out.WriteLine(
                    $"approved by {approval.ApprovedBy}: {approval.HostId} is fenced next (cloudbus incident show {approval.IncidentId} --watch)")));
        return approve;
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
