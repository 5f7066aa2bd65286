using CloudBus.VmLifecycle.Api;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class RequestValidationTests
{
    [Fact]
    public void Valid_host_registration_has_no_errors() =>
        Assert.True(new RegisterHostRequest("host-1", "http://127.0.0.1:7000/", "cluster-a", 16, 32768, ["ha"]).Validate().IsValid);

    [Fact]
    public void Every_bad_host_field_is_named()
    {
        var errors = new RegisterHostRequest("bad id!", "ftp://x", "", 0, -1, [""]).Validate().Errors;
        Assert.Equal(["agentAddress", "cluster", "cpuCores", "hostId", "memoryMib", "tags"], errors.Keys.Order());
    }

    [Fact]
    public void Bad_vm_sizes_and_unknown_ha_level_are_named()
    {
        var errors = new CreateVmRequest("", 0, 1, "Sometimes", -1).Validate().Errors;
        Assert.Equal(["cpuCores", "haLevel", "memoryMib", "name", "restartPriority"], errors.Keys.Order());
        Assert.Contains("None, OnHostFailure, NeverStop", errors["haLevel"][0]);
    }

    [Fact]
    public void Ha_level_is_case_insensitive_and_defaults_to_none()
    {
        Assert.Equal(CloudBus.Messages.Vms.VmHaLevel.NeverStop, new CreateVmRequest("vm", 1, 512, "neverstop", 0).ParsedHaLevel);
        Assert.Equal(CloudBus.Messages.Vms.VmHaLevel.None, new CreateVmRequest("vm", 1, 512, null, 0).ParsedHaLevel);
    }

    [Fact]
    public void Storage_is_one_clusters_or_zone_wide_and_a_cluster_name_is_an_id()
    {
        Assert.Contains("not both", new CreateVmRequest("vm", 1, 512, null, 0, StorageCluster: "c", ZoneWideStorage: true).Validate().Errors["storageCluster"][0]);
        Assert.Contains("storageCluster must be 1-63", new CreateVmRequest("vm", 1, 512, null, 0, StorageCluster: "../c").Validate().Errors["storageCluster"][0]);
        Assert.Equal(VmStorage.InCluster("c"), new CreateVmRequest("vm", 1, 512, null, 0, StorageCluster: "c").Storage);
        Assert.Equal(VmStorage.ZoneWideStorage, new CreateVmRequest("vm", 1, 512, null, 0, ZoneWideStorage: true).Storage);
        Assert.Equal(VmStorage.Unbound, new CreateVmRequest("vm", 1, 512, null, 0).Storage);
    }
}
