using System.Diagnostics;
using CloudBus.HaOrchestrator.Fencing;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Sagas;

/// <summary>
/// What the investigation saga does at each step: write the incident's timeline, send the next
/// command, set the step's deadline on the Postgres timer. The state machine says when; this says
/// what. Everything a step writes goes into the saga's own unit of work (its transaction and the
/// outbox), so it commits with the saga's new state or not at all: a retried step writes nothing
/// twice, and a command never leaves for a step that was not saved.
/// </summary>
public sealed partial class InvestigationSteps(
    IncidentTimeline timeline, IncidentStore incidents, HostDirectory hosts, RestartStore restarts, RestartSignal restartSignal,
    IOptions<HaOptions> options, HaMetrics metrics, TimeProvider clock, ILogger<InvestigationSteps> logger)
{
    public const string ProbeStep = "investigate";
    public const string FenceStep = "fence";

    private HaOptions Options => options.Value;

    /// <returns>
    /// True when this suspicion opens a new incident (its id is the saga's); false when the host
    /// already has an open incident, which this suspicion joins as a step, or when this very
    /// suspicion's incident is already closed (a redelivery after the investigation ended).
    /// </returns>
    public async Task<bool> OpenAsync(BehaviorContext<InvestigationState, HostSuspected> context)
    {
        var suspicion = context.Message;
        var cluster = (await hosts.FindAsync(suspicion.HostId, context.CancellationToken))?.Cluster;
        var opened = await timeline.OpenAsync(Work(context), context.Saga.CorrelationId, suspicion, cluster, Activity.Current?.TraceId.ToString(), clock.GetUtcNow());
        context.Saga.HostId = suspicion.HostId;
        context.Saga.SuspectedAt = suspicion.SuspectedAt;
        // The failure dated as the incident dates it (IncidentTimeline.FailedAt).
        if (opened) metrics.Suspected(Work(context), suspicion.LastGoodPingAt ?? suspicion.SuspectedAt, suspicion.SuspectedAt);
        return opened;
    }

    public async Task InvestigateAsync(SagaConsumeContext<InvestigationState> context)
    {
        var saga = context.Saga;
        saga.Attempt++;
        await RecordStepAsync(context, "Investigating", $"round {saga.Attempt}: direct check, then up to {Options.NeighboursToAsk} neighbours watch its storage heartbeat");
        await Work(context).SendAsync(HaCommands.InvestigateHostAddress,
            new InvestigateHost { InvestigationId = saga.CorrelationId, HostId = saga.HostId, Attempt = saga.Attempt, RequestedAt = clock.GetUtcNow() });
        await SetDeadlineAsync(context, ProbeStep, Options.InvestigationDeadline);
    }

    public async Task AliveAsync(BehaviorContext<InvestigationState, HostInvestigated> context)
    {
        var verdict = context.Message;
        await RecordStepAsync(context, "Alive", verdict.Reason, verdict.Evidence, verdict.Verdict);
        CountFalseAlarm(context, "alive");
        await AlertAsync(context, verdict.HostId, $"host {verdict.HostId} is alive but unreachable from the control plane: {verdict.Reason}. Nothing is restarted; checking again every {Options.DisconnectedRecheckInterval.TotalSeconds:0.#}s.");
        await RetryLaterAsync(context, Options.DisconnectedRecheckInterval);
    }

    public async Task UndeterminedAsync(BehaviorContext<InvestigationState, HostInvestigated> context)
    {
        var verdict = context.Message;
        await RecordStepAsync(context, "Undetermined", verdict.Reason, verdict.Evidence, verdict.Verdict);
        await AlertAsync(context, verdict.HostId, $"host {verdict.HostId} cannot be judged: {verdict.Reason}. Nothing is restarted; investigating again in {Options.InvestigationRetryInterval.TotalSeconds:0.#}s.");
        await RetryLaterAsync(context, Options.InvestigationRetryInterval);
    }

    public Task DownAsync(BehaviorContext<InvestigationState, HostInvestigated> context)
    {
        if (context.Saga.JudgedDownAt is null)
        {
            var now = clock.GetUtcNow();
            context.Saga.JudgedDownAt = now;
            metrics.JudgedDown(Work(context), context.Saga.SuspectedAt, now);
        }
        return RecordStepAsync(context, "Down", context.Message.Reason, context.Message.Evidence, context.Message.Verdict);
    }

    /// <summary>
    /// Whether fencing waits for an operator: the host's BMC was changed lately (the BMC might now
    /// be another machine's), or the brake holds (too large a share of the cluster suspect at once).
    /// </summary>
    public async Task<bool> HoldsForOperatorAsync(BehaviorContext<InvestigationState, HostInvestigated> context)
    {
        var host = await hosts.FindAsync(context.Saga.HostId, context.CancellationToken);
        if (host is null) return false; // the fencing step explains that an unknown host cannot be fenced
        var approve = $"not fencing automatically; an operator may approve with POST /incidents/{context.Saga.CorrelationId}/approve-fencing";

        if (BmcChangedLately(host) is { } change)
        {
            await RecordStepAsync(context, "Held: BMC changed", $"{change}: {approve}");
            await AlertAsync(context, host.HostId, $"host {host.HostId} is Down but {change}; waiting for an operator before fencing.");
            return true;
        }

        var (inCluster, suspects) = await incidents.ClusterSuspicionAsync(Work(context), host.Cluster);
        if (!FencingBrake.Holds(inCluster, suspects, Options.MaxSuspectShare, out var why)) return false;

        await RecordStepAsync(context, "Held by brake", $"{why}: {approve}");
        await AlertAsync(context, host.HostId, $"host {host.HostId} is Down but {why}; waiting for an operator before fencing.");
        return true;
    }

    private string? BmcChangedLately(KnownHost host)
    {
        var now = clock.GetUtcNow();
        return host.FencingNeedsApprovalUntil(Options.BmcChangeNeedsApprovalFor, now) is null ? null
            : $"its BMC was changed by {host.BmcChangedBy} {(now - host.BmcChangedAt!.Value).TotalMinutes:0.#} min ago (fencing through a changed BMC needs approval for {Options.BmcChangeNeedsApprovalFor.TotalMinutes:0.#} min, Ha:BmcChangeNeedsApprovalFor)";
    }

    public async Task FenceAsync<T>(BehaviorContext<InvestigationState, T> context) where T : class
    {
        var saga = context.Saga;
        saga.FencingAskedAt = clock.GetUtcNow();
        await RecordStepAsync(context, "Fencing", "power off through the BMC, else wait for proof of self-fence");
        await Work(context).SendAsync(HaCommands.FenceHostAddress,
            new FenceHost { InvestigationId = saga.CorrelationId, HostId = saga.HostId, Attempt = saga.Attempt, RequestedAt = clock.GetUtcNow() });
        await SetDeadlineAsync(context, FenceStep, Options.FencingDeadline);
    }

    /// <summary>Fenced: VmLifecycle may now mark the host's VMs Stopped. The release is keyed by this investigation, so it is never another failure's.</summary>
    public async Task ReleaseAsync(BehaviorContext<InvestigationState, HostFenced> context)
    {
        var fenced = context.Message;
        LogFenced(fenced.HostId, fenced.Method);
        await RecordStepAsync(context, "Fenced", $"proven fenced by {fenced.Method}", fenced.Evidence);
        metrics.Fenced(Work(context), fenced.Method, context.Saga.FencingAskedAt, fenced.FencedAt);
        await Work(context).SendAsync(VmCommands.Address, new ReleaseFencedHost
        {
            InvestigationId = context.Saga.CorrelationId, HostId = fenced.HostId, FencedBy = fenced.Method, FencedAt = fenced.FencedAt,
        });
    }

    public async Task NotFencedAsync(SagaConsumeContext<InvestigationState> context, string why, IReadOnlyList<string> evidence)
    {
        await RecordStepAsync(context, "Not fenced", why, evidence);
        await AlertAsync(context, context.Saga.HostId, $"host {context.Saga.HostId} could not be proven fenced: {why}. Nothing is restarted; investigating again in {Options.InvestigationRetryInterval.TotalSeconds:0.#}s.");
        await RetryLaterAsync(context, Options.InvestigationRetryInterval);
    }

    public async Task NoVerdictInTimeAsync(SagaConsumeContext<InvestigationState> context)
    {
        await RecordStepAsync(context, "No verdict", $"round {context.Saga.Attempt} gave no verdict within {Options.InvestigationDeadline.TotalSeconds:0.#}s");
        await RetryLaterAsync(context, Options.InvestigationRetryInterval);
    }

    /// <summary>The host is Down and its VMs Stopped: queue a restart for each HA-enabled one, highest priority first.</summary>
    public async Task QueueRestartsAsync(BehaviorContext<InvestigationState, FencedHostReleased> context)
    {
        var released = context.Message;
        var requests = released.Vms.Where(vm => vm.HaLevel != VmHaLevel.None)
            .Select(vm => new RestartRequest(vm.VmId, vm.Incarnation, released.HostId, $"host {released.HostId} fenced", vm.RestartPriority,
                released.ReleasedAt, context.Saga.CorrelationId))
            .ToList();
        await RecordStepAsync(context, "VMs released",
            $"{released.Vms.Count} VMs on the host are Stopped; {requests.Count} HA-enabled to restart, {released.Vms.Count - requests.Count} without HA stay Stopped",
            released.Vms.Select(vm => $"VM {vm.VmId} incarnation {vm.Incarnation} was {vm.StateBefore}, HA {vm.HaLevel}, priority {vm.RestartPriority}").ToList(),
            close: true);

        // Restarting until the last restart ends; with none to do, the incident ends Fenced.
        var added = await restarts.RequestAsync(Work(context), requests);
        var quarantined = added.Where(a => a.Status == RestartStatus.Quarantined).Select(a => $"VM {a.Request.VmId}").ToList();
        if (quarantined.Count > 0)
            await RecordStepAsync(context, "Quarantined", $"{quarantined.Count} VMs restarted too often lately are left for an operator", quarantined);
        // The restarts are claimable once the saga commits; the dispatcher polls too, so an early wake-up only costs a look.
        restartSignal.Notify();
    }

    public async Task RecoveredAsync(BehaviorContext<InvestigationState, SuspectRecovered> context)
    {
        await RecordStepAsync(context, "Recovered", "the host answers pings again: nothing to do", close: true);
        CountFalseAlarm(context, "recovered");
        await timeline.SetStatusAsync(Work(context), context.Saga.CorrelationId, IncidentStatus.Recovered);
    }

    /// <summary>While the investigation runs, its incident's status is its state (named from the same vocabulary).</summary>
    public Task StatusFollowsStateAsync(BehaviorContext<InvestigationState> context) =>
        timeline.SetStatusAsync(Work(context), context.Saga.CorrelationId, Enum.Parse<IncidentStatus>(context.Saga.CurrentState));

    public Task ApprovedAsync(BehaviorContext<InvestigationState, FencingApproved> context) =>
        RecordStepAsync(context, "Approved", $"fencing approved by {context.Message.ApprovedBy}");

    /// <summary>
    /// A false alarm: the host was suspected but is alive. Counted once per incident, and never after
    /// a Down verdict (a host that was judged Down and answers again did fail: it came back).
    /// </summary>
    private void CountFalseAlarm(SagaConsumeContext<InvestigationState> context, string how)
    {
        if (context.Saga.CountedFalseAlarm || context.Saga.JudgedDownAt is not null) return;
        context.Saga.CountedFalseAlarm = true;
        metrics.FalseAlarm(Work(context), how);
    }

    /// <summary>The saga's transaction: whatever a step writes there commits with the saga.</summary>
    private static UnitOfWork Work(PipeContext context) => context.GetPayload<UnitOfWork>();

    private Task RetryLaterAsync(SagaConsumeContext<InvestigationState> context, TimeSpan after) =>
        Work(context).PublishAsync(new InvestigationRetryDue { InvestigationId = context.Saga.CorrelationId, Attempt = context.Saga.Attempt },
            clock.GetUtcNow() + after);

    private Task SetDeadlineAsync(SagaConsumeContext<InvestigationState> context, string step, TimeSpan after) =>
        Work(context).PublishAsync(new InvestigationDeadlinePassed { InvestigationId = context.Saga.CorrelationId, Attempt = context.Saga.Attempt, Step = step },
            clock.GetUtcNow() + after);

    private async Task AlertAsync(PipeContext context, string hostId, string message)
    {
        LogAlert(message);
        await Work(context).PublishAsync(new HaAlertRaised { Subject = hostId, Message = message, RaisedAt = clock.GetUtcNow() });
    }

    private Task RecordStepAsync(
        SagaConsumeContext<InvestigationState> context, string step, string detail, IReadOnlyList<string>? evidence = null,
        HostVerdict? verdict = null, bool close = false) =>
        timeline.RecordAsync(Work(context), context.Saga.CorrelationId, clock.GetUtcNow(), step, detail, evidence, verdict, close);

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Host {HostId} fenced by {Method}")]
    private partial void LogFenced(string hostId, string method);

    [LoggerMessage(EventId = 511, Level = LogLevel.Error, Message = "HA alert: {Message}")]
    private partial void LogAlert(string message);
}
