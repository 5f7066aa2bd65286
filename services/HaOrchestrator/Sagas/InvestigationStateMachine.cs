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
/// retries come from the Postgres timer (no delayed-message scheduler here).
/// </summary>
public sealed class InvestigationStateMachine : MassTransitStateMachine<InvestigationState>
{
    public State Investigating { get; private set; } = null!;
    /// <summary>Undetermined, or fencing failed: waiting to investigate again.</summary>
    public State WaitingToRetry { get; private set; } = null!;
    /// <summary>Alive but unreachable: checked again now and then, in case it dies later.</summary>
    public State Disconnected { get; private set; } = null!;
    /// <summary>Down, but too much of its cluster is suspect: waiting for an operator (the incident is AwaitingOperator).</summary>
    public State HeldByBrake { get; private set; } = null!;
    public State Fencing { get; private set; } = null!;
    /// <summary>Fenced; waiting for VmLifecycle to mark the host's VMs Stopped.</summary>
    public State Releasing { get; private set; } = null!;

    public Event<HostSuspected> Suspected { get; private set; } = null!;
    public Event<SuspectRecovered> Recovered { get; private set; } = null!;
    public Event<HostInvestigated> Investigated { get; private set; } = null!;
    public Event<HostFenced> Fenced { get; private set; } = null!;
    public Event<HostFencingFailed> FencingFailed { get; private set; } = null!;
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
        Event(() => Fenced, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => FencingFailed, e => { e.CorrelateById(c => c.Message.InvestigationId); e.OnMissingInstance(m => m.Discard()); });
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
                .ThenAsync(steps.UndeterminedAsync).TransitionTo(WaitingToRetry),
            When(Investigated, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Verdict == HostVerdict.Down)
                .ThenAsync(steps.DownAsync)
                .IfElseAsync(steps.BrakeHoldsAsync,
                    held => held.TransitionTo(HeldByBrake),
                    fence => fence.ThenAsync(steps.FenceAsync).TransitionTo(Fencing)),
            When(DeadlinePassed, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Step == InvestigationSteps.ProbeStep)
                .ThenAsync(steps.NoVerdictInTimeAsync).TransitionTo(WaitingToRetry));

        During(WaitingToRetry, Disconnected,
            When(RetryDue, c => IsCurrent(c.Saga, c.Message.Attempt))
                .ThenAsync(steps.InvestigateAsync).TransitionTo(Investigating));

        During(HeldByBrake,
            When(Approved)
                .ThenAsync(steps.ApprovedAsync).ThenAsync(steps.FenceAsync).TransitionTo(Fencing));

        During(Fencing,
            When(FencingFailed, c => IsCurrent(c.Saga, c.Message.Attempt))
                .ThenAsync(c => steps.NotFencedAsync(c, "no fencing step proved it", c.Message.Evidence)).TransitionTo(WaitingToRetry),
            When(DeadlinePassed, c => IsCurrent(c.Saga, c.Message.Attempt) && c.Message.Step == InvestigationSteps.FenceStep)
                .ThenAsync(c => steps.NotFencedAsync(c, "fencing gave no answer in time", [])).TransitionTo(WaitingToRetry));

        // Proof of fencing counts whenever it arrives, even after its deadline passed.
        During(Fencing, WaitingToRetry,
            When(Fenced).ThenAsync(steps.ReleaseAsync).TransitionTo(Releasing));

        // A host that answers again before it is fenced needs nothing more; once fencing started,
        // its VMs may already be dead, so the investigation runs to its end.
        During(Investigating, WaitingToRetry, Disconnected, HeldByBrake,
            When(Recovered).ThenAsync(steps.RecoveredAsync).Finalize());

        During(Releasing,
            When(Released).ThenAsync(steps.QueueRestartsAsync).Finalize());

        // The suspicion that opened this investigation, delivered again, adds nothing: its first
        // delivery's step committed with its commands. Likewise an answer or timer of an older
        // round, or one arriving after its step has passed: expected here, and it carries nothing new.
        During([Investigating, WaitingToRetry, Disconnected, HeldByBrake, Fencing, Releasing], Ignore(Suspected));
        OnUnhandledEvent(context => context.Ignore());

        SetCompletedWhenFinalized();
    }

    private static bool IsCurrent(InvestigationState saga, int attempt) => saga.Attempt == attempt;
}
