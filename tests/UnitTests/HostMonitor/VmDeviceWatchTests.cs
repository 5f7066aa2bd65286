using CloudBus.AgentClient;
using CloudBus.HostMonitor.Sync;
using CloudBus.Messages.Vms;

namespace CloudBus.UnitTests.HostMonitor;

public sealed class VmDeviceWatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid VmId = Guid.NewGuid();
    private static readonly VmDevices OneDisk = new() { Disks = [new VmDisk("vda", "/a.qcow2", "virtio")] };
    private static readonly VmDevices TwoDisks = new() { Disks = [new VmDisk("vda", "/a.qcow2", "virtio"), new VmDisk("vdb", "/b.qcow2", "virtio")] };
    private readonly VmDeviceWatch _watch = new();

    private static AgentVm Reported(VmDevices devices, long incarnation = 1, Guid? vmId = null) =>
        new((vmId ?? VmId).ToString(), "Running", incarnation, 1, 64, devices);

    private static ExpectedVm Expected(long incarnation = 1) => new(VmId, VmState.Running, incarnation);

    private IReadOnlyList<VmDevicesReported> Sync(AgentVm vm, ExpectedVm? expected = null)
    {
        var changes = _watch.Changes("h1", [vm], [expected ?? Expected()], Now);
        foreach (var change in changes) _watch.Published(change);
        return changes;
    }

    [Fact]
    public void A_runs_devices_are_announced_once_then_again_only_when_they_change()
    {
        Assert.Equal(OneDisk, Assert.Single(Sync(Reported(OneDisk))).Devices);
        Assert.Empty(Sync(Reported(OneDisk with { })));

        var hotPlugged = Assert.Single(Sync(Reported(TwoDisks)));

        Assert.Equal((VmId, "h1", 1L), (hotPlugged.VmId, hotPlugged.HostId, hotPlugged.Incarnation));
        Assert.Equal(TwoDisks, hotPlugged.Devices);
    }

    [Fact]
    public void A_change_that_was_not_published_is_found_again()
    {
        Assert.Single(_watch.Changes("h1", [Reported(OneDisk)], [Expected()], Now));
        Assert.Single(_watch.Changes("h1", [Reported(OneDisk)], [Expected()], Now));
    }

    [Fact]
    public void A_new_run_announces_its_devices_even_when_they_are_the_same()
    {
        Sync(Reported(OneDisk));
        Assert.Equal(2, Assert.Single(Sync(Reported(OneDisk, incarnation: 2), Expected(incarnation: 2))).Incarnation);
    }

    [Fact]
    public void Strangers_other_runs_and_vms_without_devices_are_not_announced()
    {
        Assert.Empty(Sync(Reported(OneDisk, vmId: Guid.NewGuid())));
        Assert.Empty(Sync(Reported(OneDisk, incarnation: 1), Expected(incarnation: 2)));
        Assert.Empty(Sync(Reported(new VmDevices())));
        Assert.Empty(Sync(Reported(OneDisk) with { Devices = null }));
    }

    [Fact]
    public void Removing_the_last_device_is_announced()
    {
        Sync(Reported(OneDisk));
        Assert.Empty(Assert.Single(Sync(Reported(new VmDevices()))).Devices.Disks);
    }

    [Fact]
    public void A_vm_gone_from_its_host_is_forgotten_and_announced_again_when_it_is_back()
    {
        Sync(Reported(OneDisk));
        Assert.Empty(_watch.Changes("h1", [], [Expected()], Now));

        Assert.Single(Sync(Reported(OneDisk)));
    }
}
