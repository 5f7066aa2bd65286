using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class VmStateMachineTests
{
    // The expected outcome of every (state, event) pair, written independently of the code's table:
    // "Event>State" moves, "Event=" is ignored (no change), and every event not listed is refused.
    private static readonly Dictionary<VmState, string> Expected = new()
    {
        [VmState.Created] = "Start>Starting Destroy>Destroying ReportedStopped= HostFenced= HostUnreachable=",
        [VmState.Starting] = "StartSucceeded>Running StartFailed>Stopped StartUnanswered>Unknown ReportedRunning>Running HostFenced>Stopped ReportedStopped= ReportedPaused= HostUnreachable=",
        [VmState.Running] = "Stop>Stopping Reboot>Rebooting Migrate>Migrating Destroy>Destroying ReportedPaused>Paused ReportedStopped>Stopped HostFenced>Stopped HostUnreachable>Unknown ReportedRunning=",
        [VmState.Paused] = "Stop>Stopping Destroy>Destroying ReportedRunning>Running ReportedStopped>Stopped HostFenced>Stopped HostUnreachable>Unknown ReportedPaused=",
        [VmState.Stopping] = "StopSucceeded>Stopped OperationFailed>Running ReportedStopped>Stopped HostFenced>Stopped ReportedRunning= ReportedPaused= HostUnreachable=",
        [VmState.Stopped] = "Start>Starting Destroy>Destroying ReportedStopped= HostFenced= HostUnreachable=",
        [VmState.Rebooting] = "RebootSucceeded>Running OperationFailed>Running ReportedStopped>Stopped HostFenced>Stopped ReportedRunning= ReportedPaused= HostUnreachable=",
        [VmState.Migrating] = "MigrateSucceeded>Running OperationFailed>Running StartFailed>Stopped StartUnanswered>Unknown HostFenced>Stopped ReportedRunning= ReportedPaused= ReportedStopped= HostUnreachable=",
        [VmState.Destroying] = "DestroySucceeded>Destroyed OperationFailed>Unknown ReportedStopped>Stopped HostFenced>Stopped ReportedRunning= ReportedPaused= HostUnreachable=",
        [VmState.Destroyed] = "ReportedStopped= HostFenced= HostUnreachable=",
        [VmState.Unknown] = "ReportedRunning>Running ReportedPaused>Paused ReportedStopped>Stopped HostFenced>Stopped Destroy>Destroying HostUnreachable=",
    };

    public static TheoryData<VmState, VmEvent> AllPairs()
    {
        var data = new TheoryData<VmState, VmEvent>();
        foreach (var state in Enum.GetValues<VmState>())
        foreach (var @event in Enum.GetValues<VmEvent>())
            data.Add(state, @event);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_state_and_event_has_the_expected_outcome(VmState state, VmEvent @event)
    {
        var transition = VmStateMachine.Decide(state, @event);
        var expected = ExpectedOutcome(state, @event);

        switch (expected)
        {
            case null:
                Assert.True(transition.IsRefused, $"{state} + {@event} should be refused, got {transition}");
                Assert.Equal(state, transition.To);
                Assert.Contains(@event.ToString(), transition.Reason);
                Assert.Contains(state.ToString(), transition.Reason);
                break;
            case { } to when to == state:
                Assert.Equal(VmTransitionKind.Ignore, transition.Kind);
                Assert.False(transition.Changes(state));
                break;
            case { } to:
                Assert.Equal(VmTransitionKind.Move, transition.Kind);
                Assert.Equal(to, transition.To);
                break;
        }
    }

    [Fact]
    public void Destroying_vm_reported_stopped_becomes_stopped_so_a_new_destroy_can_run()
    {
        var afterReport = VmStateMachine.Decide(VmState.Destroying, VmEvent.ReportedStopped);
        Assert.Equal(VmState.Stopped, afterReport.To);
        Assert.Equal(VmState.Destroying, VmStateMachine.Decide(afterReport.To, VmEvent.Destroy).To);
    }

    [Fact]
    public void Every_state_is_covered_by_the_expected_table() =>
        Assert.Equal(Enum.GetValues<VmState>().Order(), Expected.Keys.Order());

    private static VmState? ExpectedOutcome(VmState state, VmEvent @event)
    {
        foreach (var entry in Expected[state].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry == $"{@event}=") return state;
            var parts = entry.Split('>');
            if (parts.Length == 2 && parts[0] == @event.ToString()) return Enum.Parse<VmState>(parts[1]);
        }
        return null;
    }
}
