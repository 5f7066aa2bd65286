using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using MassTransit;

namespace CloudBus.HaOrchestrator.Sagas;

/// <summary>
/// The investigation of one suspicion of a host, from suspicion to either "nothing to do" or
/// "fenced, VMs released, restarts queued". Nothing is restarted unless the host was first judged
/// Down and then proven fenced; Alive and Undetermined verdicts only alert and look again later.
/// Each step's timeline, commands, timers and alerts are written in the saga's own transaction
/// (the outbox), so a step either happens whole, with its new state, or not at all. Deadlines and
/// retries come from the Postgres timer (no delayed-message scheduler here). The states are named
/// from <see cref="IncidentStatus"/>: while the investigation runs, its incident's status is its state.
/// </summary>
public sealed class InvestigationStateMachine : MassTransitStateMachine<InvestigationState>
{
    public State Investigating { get; private set; } = null!;
    /// <summary>No verdict, or none in time: waiting to investigate again.</summary>
    public State Undetermined { get; private set; } = null!;
    /// <summary>Alive but unreachable: checked again now and then, in case it dies later.</summary>
    public State Disconnected { get; private set; } = null!;
    /// <summary>Down, but too much of its cluster is suspect (the brake), or its BMC was changed lately: waiting for an operator's approval.</summary>
    public State AwaitingOperator { get; private set; } = null!;
    public State Fencing { get; private set; } = null!;
    /// <summary>Not proven fenced: waiting to investigate again (a late proof still counts).</summary>
    public State FencingFailed { get; private set; } = null!;
    /// <summary>Proven fenced; waiting for VmLifecycle to mark the host's VMs Stopped.</summary>
    public State Fenced { get; private set; } = null!;

    public Event<HostSuspected> Suspected { get; private set; } = null!;
    public Event<SuspectRecovered> Recovered { get; private set; } = null!;
    public Event<HostInvestigated> Investigated { get; private set; } = null!;
    public Event<HostFenced> FenceProven { get; private set; } = null!;
    public Event<HostFencingFailed> FenceFailed { get; private set; } = null!;
    public Event<InvestigationDeadlinePassed> DeadlinePassed { get; private set; } = null!;
    public Event<InvestigationRetryDue> RetryDue { get; private set; } = null!;
    public Event<FencingApproved> Approved { get; private set; } = null!;
    public Event<FencedHostReleased> Released { get; private set; } = null!;

    public InvestigationStateMachine(InvestigationSteps steps)
    {
        InstanceState(saga => saga.CurrentState);

        Event(() => Suspected, e => e.CorrelateById(c => NameBasedIds.InvestigationOf(c.Message.HostId, c.Message.SuspectedAt)));
        Event(() => Recovered, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => Investigated, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => FenceProven, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => FenceFailed, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => DeadlinePassed, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RetryDue, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => Approved, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => Released, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });

        // A suspicion of a host that already has an open incident joins that incident instead.
        Initially(
            When(Suspected)
                .IfElseAsync(steps.OpenAsync,
                    opened => opened.ThenAsync(steps.InvestigateAsync).TransitionTo(Investigating),
                    joined => joined.Finalize()));

        During(Investigating,
            When(Investigated, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Verdict == HostVerdict.Alive)
                .ThenAsync(steps.AliveAsync).TransitionTo(Disconnected),
            When(Investigated, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Verdict == HostVerdict.Undetermined)
                .ThenAsync(steps.UndeterminedAsync).TransitionTo(Undetermined),
            When(Investigated, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Verdict == HostVerdict.Down)
                .ThenAsync(steps.DownAsync)
                .IfElseAsync(steps.HoldsForOperatorAsync,
                    held => held.TransitionTo(AwaitingOperator),
                    fence => fence.ThenAsync(steps.FenceAsync).TransitionTo(Fencing)),
            When(DeadlinePassed, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Step == InvestigationSteps.ProbeStep)
                .ThenAsync(steps.NoVerdictInTimeAsync).TransitionTo(Undetermined));

        During(Undetermined, FencingFailed, Disconnected,
            When(RetryDue, c => IsCurrent(c.Saga, c.Message.Attempt))
                .ThenAsync(steps.InvestigateAsync).TransitionTo(Investigating));

        During(AwaitingOperator,
            When(Approved)
                .ThenAsync(steps.ApprovedAsync).ThenAsync(steps.FenceAsync).TransitionTo(Fencing));

        During(Fencing,
            When(FenceFailed, c => IsCurrent(c.Saga, c.Message.Attempt))
                .ThenAsync(c => steps.NotFencedAsync(c, "no fencing step proved it", c.Message.Evidence)).TransitionTo(FencingFailed),
            When(DeadlinePassed, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Step == InvestigationSteps.FenceStep)
                .ThenAsync(c => steps.NotFencedAsync(c, "fencing gave no answer in time", [])).TransitionTo(FencingFailed));

        // Proof of fencing counts whenever it arrives, even after its deadline passed (and after a
        // failed round was followed by an undetermined one).
        During(Fencing, FencingFailed, Undetermined,
            When(FenceProven).ThenAsync(steps.ReleaseAsync).TransitionTo(Fenced));

        // A host that answers again before it is fenced needs nothing more; once fencing started,
        // its VMs may already be dead, so the investigation runs to its end.
        During([Investigating, Undetermined, FencingFailed, Disconnected, AwaitingOperator],
            When(Recovered).ThenAsync(steps.RecoveredAsync).Finalize());

        During(Fenced,
            When(Released).ThenAsync(steps.QueueRestartsAsync).Finalize());

        // The suspicion that opened this investigation, delivered again, adds nothing: its first
        // delivery's step committed with its commands. Likewise an answer or timer of an older
        // round, or one arriving after its step has passed: expected here, and it carries nothing new.
        During([Investigating, Undetermined, FencingFailed, Disconnected, AwaitingOperator, Fencing, Fenced], Ignore(Suspected));
        OnUnhandledEvent(context => context.Ignore());

        // The incident's status is the state entered (a new instance enters Initial first, before its
        // incident exists; a finished investigation's last step set the final status).
        WhenEnterAny(entered => entered.If(c => c.Saga.CurrentState != Initial.Name && c.Saga.CurrentState != Final.Name,
            running => running.ThenAsync(steps.StatusFollowsStateAsync)));

        SetCompletedWhenFinalized();
    }

    private static bool IsCurrent(InvestigationState saga, int attempt) => saga.Attempt == attempt;
}
