using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>What the state machine says about one event in one state.</summary>
public sealed record VmTransition(VmTransitionKind Kind, VmState To, string? Reason)
{
    public static VmTransition MoveTo(VmState to) => new(VmTransitionKind.Move, to, null);
    public static VmTransition Stay(VmState state) => new(VmTransitionKind.Ignore, state, null);
    public static VmTransition Refuse(VmState state, string reason) => new(VmTransitionKind.Refuse, state, reason);

    public bool IsRefused => Kind == VmTransitionKind.Refuse;
    public bool Changes(VmState from) => Kind == VmTransitionKind.Move && To != from;
}

public enum VmTransitionKind
{
    /// <summary>The event is legal and leads to <see cref="VmTransition.To"/>.</summary>
    Move,
    /// <summary>The event is harmless here and changes nothing (for example a report that agrees).</summary>
    Ignore,
    /// <summary>The event is illegal in this state; the caller gets an error and nothing changes.</summary>
    Refuse,
}
