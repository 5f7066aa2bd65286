using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Operations.Settlement;

namespace CloudBus.UnitTests.VmLifecycle;

/// <summary>How an operation left in flight by a dead instance ends, from what the VM's host says now.</summary>
public sealed class SettlementRulesTests
{
    [Theory]
    [InlineData(VmState.Starting, VmEvent.ReportedRunning)]
    [InlineData(VmState.Rebooting, VmEvent.RebootSucceeded)]
    public void A_vm_its_host_runs_is_settled_running_at_once(VmState state, VmEvent expected)
    {
        var settled = SettlementRules.Decide(state, HostAnswer.Running, quiet: false)!;
        Assert.Equal((expected, VmCommandOutcome.Done), (settled.Event, settled.Outcome));
        Assert.Equal(VmState.Running, VmStateMachine.Decide(state, settled.Event!.Value).To);
    }

    [Fact]
    public void A_start_the_host_does_not_run_waits_until_no_call_of_the_dead_instance_can_still_land()
    {
        Assert.Null(SettlementRules.Decide(VmState.Starting, HostAnswer.NotRunning, quiet: false));
        var settled = SettlementRules.Decide(VmState.Starting, HostAnswer.NotRunning, quiet: true)!;
        Assert.Equal((VmEvent.StartFailed, VmCommandOutcome.HostFailed), (settled.Event, settled.Outcome));
        Assert.Equal(VmState.Stopped, VmStateMachine.Decide(VmState.Starting, settled.Event!.Value).To);
    }

    [Fact]
    public void A_start_whose_host_does_not_answer_leaves_the_vm_unknown_not_stopped()
    {
        Assert.Null(SettlementRules.Decide(VmState.Starting, HostAnswer.Unreachable, quiet: false));
        var settled = SettlementRules.Decide(VmState.Starting, HostAnswer.Unreachable, quiet: true)!;
        Assert.Equal(VmState.Unknown, VmStateMachine.Decide(VmState.Starting, settled.Event!.Value).To);
    }

    [Fact]
    public void A_stop_is_settled_as_soon_as_the_host_no_longer_runs_the_vm()
    {
        var settled = SettlementRules.Decide(VmState.Stopping, HostAnswer.NotRunning, quiet: false)!;
        Assert.Equal((VmEvent.StopSucceeded, VmCommandOutcome.Done), (settled.Event, settled.Outcome));
        Assert.Null(SettlementRules.Decide(VmState.Stopping, HostAnswer.Running, quiet: false));
        Assert.Equal(VmEvent.OperationFailed, SettlementRules.Decide(VmState.Stopping, HostAnswer.Running, quiet: true)!.Event);
    }

    [Fact]
    public void A_destroy_is_finished_when_the_vm_runs_nowhere()
    {
        foreach (var answer in new[] { HostAnswer.NotRunning, HostAnswer.NoHost })
        {
            var settled = SettlementRules.Decide(VmState.Destroying, answer, quiet: false)!;
            Assert.Equal(VmState.Destroyed, VmStateMachine.Decide(VmState.Destroying, settled.Event!.Value).To);
        }
        Assert.Equal(VmState.Unknown,
            VmStateMachine.Decide(VmState.Destroying, SettlementRules.Decide(VmState.Destroying, HostAnswer.Running, quiet: true)!.Event!.Value).To);
    }

    [Fact]
    public void A_migration_running_on_its_target_succeeded_and_one_still_on_its_source_did_not()
    {
        Assert.Equal(VmEvent.MigrateSucceeded, SettlementRules.Decide(VmState.Migrating, HostAnswer.Running, quiet: false, moved: true)!.Event);
        var stayed = SettlementRules.Decide(VmState.Migrating, HostAnswer.Running, quiet: false, moved: false)!;
        Assert.Equal((VmEvent.OperationFailed, VmCommandOutcome.HostFailed), (stayed.Event, stayed.Outcome));
        Assert.Equal(VmState.Running, VmStateMachine.Decide(VmState.Migrating, stayed.Event!.Value).To);
        Assert.Equal(VmState.Stopped,
            VmStateMachine.Decide(VmState.Migrating, SettlementRules.Decide(VmState.Migrating, HostAnswer.NotRunning, quiet: true)!.Event!.Value).To);
    }

    [Theory]
    [InlineData(VmState.Running)]
    [InlineData(VmState.Stopped)]
    [InlineData(VmState.Unknown)]
    public void An_operation_whose_vm_already_left_its_transitional_state_is_only_closed(VmState state)
    {
        var settled = SettlementRules.Decide(state, HostAnswer.Unreachable, quiet: false)!;
        Assert.Null(settled.Event);
        Assert.Contains(state.ToString(), settled.Why);
    }

    [Fact]
    public void Every_event_a_settlement_gives_is_legal_in_the_state_it_settles()
    {
        var transitional = new[] { VmState.Starting, VmState.Stopping, VmState.Rebooting, VmState.Migrating, VmState.Destroying };
        foreach (var state in transitional)
        foreach (var answer in Enum.GetValues<HostAnswer>())
        foreach (var quiet in new[] { false, true })
        foreach (var moved in new[] { false, true })
            if (SettlementRules.Decide(state, answer, quiet, moved) is { Event: { } settledBy })
                Assert.False(VmStateMachine.Decide(state, settledBy).IsRefused, $"{settledBy} while {state} ({answer}, quiet {quiet})");
    }
}
