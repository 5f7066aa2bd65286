using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class RootDiskSizeTests
{
    [Theory]
    [InlineData(20, 30, null, 30)] // the image occupies more than its virtual size: the actual size counts (the ZStack bug)
    [InlineData(40, 12, null, 40)] // a thin image: the virtual size counts
    [InlineData(20, 30, 100, 100)] // a disk offering's size wins
    public void Allocated_size_is_the_offering_or_the_larger_of_virtual_and_actual(int virtualGib, int actualGib, int? offeringGib, int expected) =>
        Assert.Equal(expected, RootDiskSize.AllocatedGib(virtualGib, actualGib, offeringGib));

    [Fact]
    public void Placement_refuses_a_host_whose_storage_cannot_hold_the_root_disk_and_ignores_untracked_storage()
    {
        HostRecord Host(string id, int? storage, int used = 0) => new()
        {
            HostId = id, AgentAddress = new Uri("http://agent/"), Cluster = "c", CpuCores = 16, MemoryMib = 32768,
            StorageGib = storage, StorageUsed = used, Status = HostStatus.Connected,
        };
        var plan = PlacementPolicy.Plan(new PlacementRequest { CpuCores = 1, MemoryMib = 512, RootDiskGib = RootDiskSize.AllocatedGib(20, 30, null) },
            [Host("small", storage: 25), Host("full", storage: 100, used: 80), Host("roomy", storage: 100), Host("untracked", storage: null)]);

        Assert.Equal(["roomy", "untracked"], plan.Candidates.Order());
        Assert.Equal("needs 30 GiB of disk, 25 GiB free", plan.Rejections["small"]);
        Assert.Equal("needs 30 GiB of disk, 20 GiB free", plan.Rejections["full"]);
    }
}
