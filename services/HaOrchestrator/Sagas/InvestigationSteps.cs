using System.Diagnostics;
using CloudBus.HaOrchestrator.Fencing;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Scheduling;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Sagas;

/// <summary>
/// What the investigation saga does at each step: write the incident's timeline, send the next
/// command, set the step's deadline on the Postgres timer. The state machine says when; this says
/// what. Sends go out only after the saga is saved (in-memory outbox on its endpoint).
/// </summary>
public sealed partial class InvestigationSteps(
    IncidentStore incidents, HostDirectory hosts, RestartStore restarts, RestartSignal restartSignal, ScheduledMessages timer,
    IOptions<HaOptions> options, TimeProvider clock, ILogger<InvestigationSteps> logger)
{
    public const string ProbeStep = "investigate";
    public const string FenceStep = "fence";

    private HaOptions Options => options.Value;

    /// <returns>False when this suspicion's incident is already closed (a redelivery after the investigation ended).</returns>
    public async Task<bool> OpenAsync(BehaviorContext<InvestigationState, HostSuspected> context)
    {
        var suspicion = context.Message;
        var cluster = (await hosts.FindAsync(suspicion.HostId, context.CancellationToken))?.Cluster;
        var incidentId = await incidents.OpenAsync(suspicion, cluster, Activity.Current?.TraceId.ToString(), clock.GetUtcNow(), context.CancellationToken);
        context.Saga.HostId = suspicion.HostId;
        context.Saga.SuspectedAt = suspicion.SuspectedAt;
        context.Saga.IncidentId = incidentId ?? Guid.Empty;
        return incidentId is not null;
    }

    public async Task InvestigateAsync(SagaConsumeContext<InvestigationState> context)
    {
        var saga = context.Saga;
        saga.Attempt++;
        await RecordStepAsync(saga, "Investigating", $"round {saga.Attempt}: direct check, then up to {Options.NeighboursToAsk} neighbours watch its storage heartbeat", context);
        await SendProbeAsync(context);
        await SetDeadlineAsync(saga, ProbeStep, Options.InvestigationDeadline, context.CancellationToken);
    }

    /// <summary>
    /// The current step's command again, for a redelivered message that started the step: the
    /// instance that saved the step may have died before its command left (sends wait for the
    /// save). Running a step twice is harmless; its second answer finds the step passed.
    /// </summary>
    public Task SendProbeAsync(SagaConsumeContext<InvestigationState> context) =>
        SendAsync(context, HaCommands.InvestigateHostAddress,
            new InvestigateHost { InvestigationId = context.Saga.CorrelationId, HostId = context.Saga.HostId, Attempt = context.Saga.Attempt, RequestedAt = clock.GetUtcNow() });

    /// <inheritdoc cref="SendProbeAsync"/>
    public Task SendFenceAsync(SagaConsumeContext<InvestigationState> context) =>
        SendAsync(context, HaCommands.FenceHostAddress,
            new FenceHost { InvestigationId = context.Saga.CorrelationId, HostId = context.Saga.HostId, Attempt = context.Saga.Attempt, RequestedAt = clock.GetUtcNow() });

    /// <inheritdoc cref="SendProbeAsync"/>
    public Task SendReleaseAsync(BehaviorContext<InvestigationState, HostFenced> context) =>
        SendAsync(context, VmCommands.Address, new ReleaseFencedHost
        {
            InvestigationId = context.Saga.CorrelationId, HostId = context.Message.HostId, FencedBy = context.Message.Method, FencedAt = context.Message.FencedAt,
        });

    public async Task AliveAsync(BehaviorContext<InvestigationState, HostInvestigated> context)
    {
        var verdict = context.Message;
        await RecordStepAsync(context.Saga, "Alive", verdict.Reason, context, verdict.Evidence, status: "Disconnected", verdict: "Alive");
        await AlertAsync(context, verdict.HostId, $"host {verdict.HostId} is alive but unreachable from the control plane: {verdict.Reason}. Nothing is restarted; checking again every {Options.DisconnectedRecheckInterval.TotalSeconds:0.#}s.");
        await RetryLaterAsync(context.Saga, Options.DisconnectedRecheckInterval, context.CancellationToken);
    }

    public async Task UndeterminedAsync(BehaviorContext<InvestigationState, HostInvestigated> context)
    {
        var verdict = context.Message;
        await RecordStepAsync(context.Saga, "Undetermined", verdict.Reason, context, verdict.Evidence, status: "Undetermined", verdict: "Undetermined");
        await AlertAsync(context, verdict.HostId, $"host {verdict.HostId} cannot be judged: {verdict.Reason}. Nothing is restarted; investigating again in {Options.InvestigationRetryInterval.TotalSeconds:0.#}s.");
        await RetryLaterAsync(context.Saga, Options.InvestigationRetryInterval, context.CancellationToken);
    }

    public Task DownAsync(BehaviorContext<InvestigationState, HostInvestigated> context) =>
        RecordStepAsync(context.Saga, "Down", context.Message.Reason, context, context.Message.Evidence, status: "Down", verdict: "Down");

    /// <summary>The brake: too large a share of the cluster suspect at once means fencing waits for an operator.</summary>
    public async Task<bool> BrakeHoldsAsync(BehaviorContext<InvestigationState, HostInvestigated> context)
    {
        var host = await hosts.FindAsync(context.Saga.HostId, context.CancellationToken);
        if (host is null) return false; // the fencing step explains that an unknown host cannot be fenced
        var (inCluster, suspects) = await incidents.ClusterSuspicionAsync(host.Cluster, context.CancellationToken);
        if (!FencingBrake.Holds(inCluster, suspects, Options.MaxSuspectShare, out var why)) return false;

        await RecordStepAsync(context.Saga, "Held by brake", $"{why}: not fencing automatically; an operator may approve with POST /incidents/{context.Saga.IncidentId}/approve-fencing", context, status: "AwaitingOperator");
        await AlertAsync(context, host.HostId, $"host {host.HostId} is Down but {why}; waiting for an operator before fencing.");
        return true;
    }

    public async Task FenceAsync<T>(BehaviorContext<InvestigationState, T> context) where T : class
    {
        var saga = context.Saga;
        await RecordStepAsync(saga, "Fencing", "power off through the BMC, else wait for proof of self-fence", context, status: "Fencing");
        await SendFenceAsync(context);
        await SetDeadlineAsync(saga, FenceStep, Options.FencingDeadline, context.CancellationToken);
    }

    public async Task ReleaseAsync(BehaviorContext<InvestigationState, HostFenced> context)
    {
        var fenced = context.Message;
        LogFenced(fenced.HostId, fenced.Method);
        await RecordStepAsync(context.Saga, "Fenced", $"proven fenced by {fenced.Method}", context, fenced.Evidence, status: "Fenced");
        await SendReleaseAsync(context);
    }

    public async Task NotFencedAsync(SagaConsumeContext<InvestigationState> context, string why, IReadOnlyList<string> evidence)
    {
        await RecordStepAsync(context.Saga, "Not fenced", why, context, evidence, status: "FencingFailed");
        await AlertAsync(context, context.Saga.HostId, $"host {context.Saga.HostId} could not be proven fenced: {why}. Nothing is restarted; investigating again in {Options.InvestigationRetryInterval.TotalSeconds:0.#}s.");
        await RetryLaterAsync(context.Saga, Options.InvestigationRetryInterval, context.CancellationToken);
    }

    public async Task NoVerdictInTimeAsync(SagaConsumeContext<InvestigationState> context)
    {
        await RecordStepAsync(context.Saga, "No verdict", $"round {context.Saga.Attempt} gave no verdict within {Options.InvestigationDeadline.TotalSeconds:0.#}s", context);
        await RetryLaterAsync(context.Saga, Options.InvestigationRetryInterval, context.CancellationToken);
    }

    /// <summary>The host is Down and its VMs Stopped: queue a restart for each HA-enabled one, highest priority first.</summary>
    public async Task QueueRestartsAsync(BehaviorContext<InvestigationState, FencedHostReleased> context)
    {
        var released = context.Message;
        var requests = released.Vms.Where(vm => vm.HaLevel != VmHaLevel.None)
            .Select(vm => new RestartRequest(vm.VmId, vm.Incarnation, released.HostId, $"host {released.HostId} fenced", vm.RestartPriority,
                released.ReleasedAt, context.Saga.IncidentId))
            .ToList();
        // The step goes first: restarts may finish (and write their own steps) the moment they are stored.
        await RecordStepAsync(context.Saga, "VMs released",
            $"{released.Vms.Count} VMs on the host are Stopped; {requests.Count} HA-enabled to restart, {released.Vms.Count - requests.Count} without HA stay Stopped",
            context, released.Vms.Select(vm => $"VM {vm.VmId} incarnation {vm.Incarnation} was {vm.StateBefore}, HA {vm.HaLevel}, priority {vm.RestartPriority}").ToList(),
            status: requests.Count == 0 ? "Fenced" : null, close: true);

        var added = await restarts.RequestAsync(requests, context.CancellationToken);
        restartSignal.Notify();
        var quarantined = added.Where(a => a.Status == RestartStatus.Quarantined).Select(a => $"VM {a.Request.VmId}").ToList();
        if (quarantined.Count > 0)
            await RecordStepAsync(context.Saga, "Quarantined", $"{quarantined.Count} VMs restarted too often lately are left for an operator", context, quarantined);
    }

    public Task RecoveredAsync(BehaviorContext<InvestigationState, HostRecovered> context) =>
        RecordStepAsync(context.Saga, "Recovered", "the host answers pings again: nothing to do", context, status: "Recovered", close: true);

    public Task ApprovedAsync(BehaviorContext<InvestigationState, FencingApproved> context) =>
        RecordStepAsync(context.Saga, "Approved", $"fencing approved by {context.Message.ApprovedBy}", context);

    private static async Task SendAsync<T>(ConsumeContext context, Uri address, T command) where T : class =>
        await (await context.GetSendEndpoint(address)).Send(command);

    private Task RetryLaterAsync(InvestigationState saga, TimeSpan after, CancellationToken cancellationToken) =>
        timer.ScheduleAsync(new InvestigationRetryDue { InvestigationId = saga.CorrelationId, Attempt = saga.Attempt }, clock.GetUtcNow() + after, cancellationToken);

    private Task SetDeadlineAsync(InvestigationState saga, string step, TimeSpan after, CancellationToken cancellationToken) =>
        timer.ScheduleAsync(new InvestigationDeadlinePassed { InvestigationId = saga.CorrelationId, Attempt = saga.Attempt, Step = step },
            clock.GetUtcNow() + after, cancellationToken);

    private async Task AlertAsync(ConsumeContext context, string hostId, string message)
    {
        LogAlert(message);
        await context.Publish(new HaAlertRaised { Subject = hostId, Message = message, RaisedAt = clock.GetUtcNow() });
    }

    private Task RecordStepAsync(
        InvestigationState saga, string step, string detail, ConsumeContext context, IReadOnlyList<string>? evidence = null,
        string? status = null, string? verdict = null, bool close = false) =>
        saga.IncidentId == Guid.Empty
            ? Task.CompletedTask
            : incidents.RecordAsync(saga.IncidentId, clock.GetUtcNow(), step, detail, evidence, status, verdict, close, context.CancellationToken);

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Host {HostId} fenced by {Method}")]
    private partial void LogFenced(string hostId, string method);

    [LoggerMessage(EventId = 511, Level = LogLevel.Error, Message = "HA alert: {Message}")]
    private partial void LogAlert(string message);
}
