using System.Net.Http.Json;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// HA restarts land only where a VM's disks are, and spread over the ha hosts there. Driven as a
/// user would, HA had restarted cluster-b's VMs on a host of cluster-a (placement had no scope), and
/// every restart landed on one ha host until it was full.
/// </summary>
public sealed class PlacementScopeTests(TwoClusterHaStack stack) : IClassFixture<TwoClusterHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly string[] ClusterBHaHosts = ["host-5", "host-6"];

    [Fact]
    public async Task A_failed_hosts_vms_restart_only_in_its_cluster_spread_over_its_ha_hosts()
    {
        await stack.RegisterFleetAsync();
        var vms = new List<VmView>();
        for (var i = 0; i < 12; i++) vms.Add(await HaVms.StartAsync(stack, $"b{i}", "host-4", "OnHostFailure"));
        // Bound at its first start to the cluster of the host it started on: its disks are there now.
        Assert.All(vms, vm => Assert.Equal("cluster-b", vm.StorageCluster));

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-4/faults/power-off", new { });

        var restarts = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<RestartView>>(stack.HaOrchestrator, "restarts"),
            list => vms.All(vm => list.Any(r => r.VmId == vm.VmId && r.Status == RestartStatus.Running)), Timeout, "every VM of host-4 running again");
        var landedOn = vms.Select(vm => restarts.Single(r => r.VmId == vm.VmId).RestartedOn).ToList();
        // host-3 is an ha host too, and the emptiest: by preference and load alone it would have taken them.
        Assert.All(landedOn, host => Assert.Contains(host, ClusterBHaHosts));
        Assert.Equal(ClusterBHaHosts, landedOn.Distinct().Order());
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
    }

    [Fact]
    public async Task A_vm_created_for_a_clusters_storage_is_placed_there_only_and_says_why_when_none_fits()
    {
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms",
            new { name = $"pinned-{Guid.NewGuid().ToString("N")[..6]}", cpuCores = 1, memoryMib = 256, haLevel = "None", storageCluster = "cluster-a" });

        var refused = await stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"vms/{vm.VmId}/start"), new { hostId = "host-5" });
        Assert.False(refused.IsSuccessStatusCode);
        Assert.Contains("the VM's disks are on the storage of cluster cluster-a", await refused.Content.ReadAsStringAsync());

        var started = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { });
        Assert.Equal("cluster-a", stack.ClusterOf(started.HostId!));
    }
}
