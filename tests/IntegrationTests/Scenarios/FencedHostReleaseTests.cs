using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// VmLifecycle's side of a fence: the host goes Down and its VMs Stopped, announced once per
/// investigation. A repeated command (a redelivery, or two instances at once) announces the same
/// VMs again: an empty second announcement could overtake the real one and lose the restarts.
/// </summary>
public sealed class FencedHostReleaseTests(ControlPlaneStack stack) : IClassFixture<ControlPlaneStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Repeated_releases_of_one_fenced_host_announce_the_same_vms_and_stop_them_once()
    {
        await stack.RegisterFleetAsync();
        var vms = new List<VmView>();
        foreach (var haLevel in new[] { "OnHostFailure", "None" })
            vms.Add(await HaVms.StartAsync(stack, $"released-{haLevel}", "host-3", haLevel));

        await using var bus = await TestBus.StartAsync(stack.Environment);
        var announcements = await bus.CaptureAsync<FencedHostReleased>();
        var release = new ReleaseFencedHost { InvestigationId = Guid.NewGuid(), HostId = "host-3", FencedBy = "test", FencedAt = DateTimeOffset.UtcNow };
        await Task.WhenAll(
            bus.SendAsync(VmCommands.Address.ToString(), release),
            bus.SendAsync(VmCommands.Address.ToString(), release));

        await Eventually.ReturnsAsync(() => Task.FromResult(announcements.Snapshot()), list => list.Count == 2, Timeout, "both releases announced");
        Assert.All(announcements.Snapshot(), a => Assert.Equal(vms.Select(v => v.VmId).Order(), a.Vms.Select(v => v.VmId).Order()));
        Assert.All(announcements.Snapshot(), a => Assert.All(a.Vms, v => Assert.Equal((VmState.Running, 1L), (v.StateBefore, v.Incarnation))));
        foreach (var vm in vms)
            Assert.Equal("Stopped", (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}")).State);
        // Capacity comes back; the host's status stays HostMonitor's to set (it saw no fence here).
        var host = await stack.GetAsync<HostView>(stack.VmLifecycle, "hosts/host-3");
        Assert.Equal(0, host.CpuUsed);
    }
}
