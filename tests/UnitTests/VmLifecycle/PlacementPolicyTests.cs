using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class PlacementPolicyTests
{
    private static HostRecord Host(string id, int cpuUsed = 0, int memoryUsed = 0, HostStatus status = HostStatus.Connected,
        bool enabled = true, string cluster = "c", params string[] tags) => new()
    {
        HostId = id, AgentAddress = new Uri("http://agent/"), Cluster = cluster, CpuCores = 16, MemoryMib = 32768,
        CpuUsed = cpuUsed, MemoryUsed = memoryUsed, Status = status, Enabled = enabled, Tags = tags,
    };

    private static PlacementRequest Needs(int cpu = 2, int memory = 4096) => new() { CpuCores = cpu, MemoryMib = memory };

    [Fact]
    public void Only_connected_enabled_hosts_with_room_are_candidates_and_the_others_say_why()
    {
        var plan = PlacementPolicy.Plan(Needs(4, 8192), [
            Host("ok"), Host("full-cpu", cpuUsed: 14), Host("full-memory", memoryUsed: 30000),
            Host("suspect", status: HostStatus.Suspect), Host("disabled", enabled: false)]);

        Assert.Equal(["ok"], plan.Candidates);
        Assert.Equal("needs 4 CPU, 2 free", plan.Rejections["full-cpu"]);
        Assert.Equal("needs 8192 MiB, 2768 MiB free", plan.Rejections["full-memory"]);
        Assert.Equal("host is Suspect", plan.Rejections["suspect"]);
        Assert.Equal("host is disabled", plan.Rejections["disabled"]);
    }

    [Fact]
    public void Least_loaded_host_comes_first_to_spread_load()
    {
        var plan = PlacementPolicy.Plan(Needs(), [Host("busy", memoryUsed: 20000), Host("idle"), Host("half", memoryUsed: 16384)]);
        Assert.Equal(["idle", "half", "busy"], plan.Candidates);
    }

    [Fact]
    public void Preferred_tags_win_over_load()
    {
        var plan = PlacementPolicy.Plan(Needs() with { PreferredTags = ["ha"] },
            [Host("idle"), Host("tagged", memoryUsed: 20000, tags: "ha")]);
        Assert.Equal(["tagged", "idle"], plan.Candidates);
    }

    /// <summary>
    /// Driven as a user would, HA restarted cluster-b's VMs on a host of cluster-a: placement had no
    /// scope, so a VM could land where its disks are not.
    /// </summary>
    [Fact]
    public void Only_hosts_of_the_cluster_holding_the_vms_disks_are_candidates()
    {
        var plan = PlacementPolicy.Plan(Needs() with { RequiredCluster = "cluster-b", PreferredTags = ["ha"] },
            [Host("a-1", cluster: "cluster-a", tags: "ha"), Host("b-1", memoryUsed: 20000, cluster: "cluster-b")]);

        Assert.Equal(["b-1"], plan.Candidates);
        Assert.Equal("in cluster cluster-a, and the VM's disks are on the storage of cluster cluster-b", plan.Rejections["a-1"]);
        Assert.Equal(["a-1", "b-1"], PlacementPolicy.Plan(Needs() with { PreferredTags = ["ha"] },
            [Host("a-1", cluster: "cluster-a", tags: "ha"), Host("b-1", cluster: "cluster-b")]).Candidates); // zone-wide storage: any cluster
    }

    /// <summary>
    /// Every restart of a failed host's VMs is placed at about the same moment, each reading the load
    /// before the others' reservations commit: by load alone all would pick the same ha host.
    /// </summary>
    [Fact]
    public void Vms_placed_together_spread_over_the_preferred_hosts_that_are_about_as_loaded()
    {
        HostRecord[] hosts = [Host("ha-1", tags: "ha"), Host("ha-2", memoryUsed: 1000, tags: "ha"), Host("ha-3", memoryUsed: 2000, tags: "ha"), Host("plain")];
        var firstChoices = Enumerable.Range(0, 60)
            .Select(i => PlacementPolicy.Plan(Needs() with { PreferredTags = ["ha"], SpreadKey = new Guid(i, 0, 0, new byte[8]) }, hosts).Candidates[0])
            .GroupBy(host => host).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(["ha-1", "ha-2", "ha-3"], firstChoices.Keys.Order());
        Assert.All(firstChoices.Values, count => Assert.InRange(count, 10, 30));
        // A host a step fuller is not among the first choices while one a step emptier fits.
        var uneven = PlacementPolicy.Plan(Needs() with { PreferredTags = ["ha"] }, [Host("ha-full", memoryUsed: 16384, tags: "ha"), Host("ha-empty", tags: "ha")]);
        Assert.Equal(["ha-empty", "ha-full"], uneven.Candidates);
    }

    [Fact]
    public void Excluded_and_unrequested_hosts_are_skipped()
    {
        var excluded = PlacementPolicy.Plan(Needs() with { ExcludedHostIds = ["a"] }, [Host("a"), Host("b")]);
        Assert.Equal(["b"], excluded.Candidates);
        Assert.Equal("excluded", excluded.Rejections["a"]);

        var required = PlacementPolicy.Plan(Needs() with { RequiredHostId = "b" }, [Host("a"), Host("b")]);
        Assert.Equal(["b"], required.Candidates);
    }

    [Fact]
    public void No_fitting_host_is_an_answer_with_reasons_not_an_exception()
    {
        var plan = PlacementPolicy.Plan(Needs(cpu: 64), [Host("a"), Host("b")]);
        Assert.Empty(plan.Candidates);
        Assert.Equal("no host can take this VM: a: needs 64 CPU, 16 free; b: needs 64 CPU, 16 free", plan.Explain());
        Assert.Equal("no hosts are registered", PlacementPolicy.Plan(Needs(), []).Explain());
    }

    [Fact]
    public void Requesting_an_unknown_host_says_so()
    {
        var plan = PlacementPolicy.Plan(Needs() with { RequiredHostId = "ghost" }, [Host("a")]);
        Assert.Empty(plan.Candidates);
        Assert.Equal("unknown host", plan.Rejections["ghost"]);
    }
}
