using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.NodeRegistry.Persistence;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>A clean shutdown leaves membership at once; silence alone does not remove a member on the first miss.</summary>
public sealed class MembershipLeaveTests(PatientRegistryStack stack) : IClassFixture<PatientRegistryStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_cleanly_stopped_instance_leaves_at_once_while_a_killed_one_stays_until_its_missed_rounds_add_up()
    {
        var views = await RingAssertions.ConvergedAsync(stack, stack.HostMonitors);
        var (stopped, killed) = (stack.HostMonitors[0], stack.HostMonitors[1]);
        var (stoppedId, killedId) = (views[0].InstanceId, views[1].InstanceId);

        killed.Kill();
        await stopped.StopAsync(Timeout);

        // The clean leave takes the stopped instance out of membership and its ring at once...
        await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Member>>(stack.NodeRegistry, "members"),
            members => members.All(m => m.InstanceId != stoppedId), Timeout, "the stopped instance to leave");
        var ring = await Eventually.ReturnsAsync(() => stack.GetAsync<RingView>(stack.NodeRegistry, "rings/host-monitor"),
            r => !r.Members.Contains(stoppedId), Timeout, "a ring without the stopped instance");

        // ...while the killed one is still a member, counting missed rounds (removal needs 100 here).
        Assert.Equal([killedId], ring.Members);
        var silent = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Member>>(stack.NodeRegistry, "members"),
            members => members.Any(m => m.InstanceId == killedId && m.MissedRounds >= 2), Timeout, "the killed instance to miss rounds");
        Assert.Contains(silent, m => m.InstanceId == killedId);
    }

    private sealed record RingView(string Service, long Epoch, IReadOnlyList<string> Members);
}
