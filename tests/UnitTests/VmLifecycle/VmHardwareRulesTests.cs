using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class VmHardwareRulesTests
{
    [Fact]
    public void Disks_need_an_absolute_source_a_known_format_and_no_repeats()
    {
        Assert.Null(VmHardwareRules.Disks([new DiskRequest("/mnt/a.qcow2"), new DiskRequest("/mnt/b.raw", "raw")]));
        Assert.Contains("absolute path", VmHardwareRules.Disks([new DiskRequest("a.qcow2")]));
        Assert.Contains("absolute path", VmHardwareRules.Disks([new DiskRequest(null)]));
        Assert.Contains("raw or qcow2", VmHardwareRules.Disks([new DiskRequest("/a", "vmdk")]));
        Assert.Contains("same source", VmHardwareRules.Disks([new DiskRequest("/a"), new DiskRequest("/a")]));
        Assert.Contains("at most 16", VmHardwareRules.Disks([.. Enumerable.Range(0, 17).Select(i => new DiskRequest($"/d{i}"))]));
    }

    [Fact]
    public void Nics_need_a_well_formed_unique_mac_and_at_most_one_of_network_and_bridge()
    {
        Assert.Null(VmHardwareRules.Nics([new NicRequest(), new NicRequest("52:54:00:12:34:56", Network: "default"), new NicRequest(Bridge: "br0")]));
        Assert.Contains("52:54:00:12:34:56", VmHardwareRules.Nics([new NicRequest("52-54-00-12-34-56")]));
        Assert.Contains("not both", VmHardwareRules.Nics([new NicRequest(Network: "n", Bridge: "b")]));
        Assert.Contains("same mac", VmHardwareRules.Nics([new NicRequest("52:54:00:12:34:56"), new NicRequest("52:54:00:12:34:56".ToUpperInvariant())]));
        Assert.Contains("letters, digits", VmHardwareRules.Nics([new NicRequest(Network: "bad name")]));
    }

    [Fact]
    public void A_nic_without_a_mac_gets_a_fresh_one_in_qemus_range_and_the_vm_keeps_what_it_was_created_with()
    {
        var vm = new CreateVmRequest("vm", 1, 64, null, 0, Disks: [new DiskRequest("/mnt/a.qcow2")], Nics: [new NicRequest(), new NicRequest()]).ToNewVm();

        Assert.Equal([new VmDiskSpec("/mnt/a.qcow2", "qcow2")], vm.Hardware!.Disks);
        Assert.All(vm.Hardware.Nics, nic => Assert.Matches("^52:54:00(:[0-9a-f]{2}){3}$", nic.Mac));
        Assert.NotEqual(vm.Hardware.Nics[0].Mac, vm.Hardware.Nics[1].Mac);
    }

    [Fact]
    public void A_create_with_bad_disks_or_nics_names_both_fields() =>
        Assert.Equal(["disks", "nics"], new CreateVmRequest("vm", 1, 64, null, 0, Disks: [new DiskRequest("rel")], Nics: [new NicRequest("x")])
            .Validate().Errors.Keys.Order());
}
