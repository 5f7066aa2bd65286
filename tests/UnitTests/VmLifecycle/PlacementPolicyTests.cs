using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class PlacementPolicyTests
{
    private static HostRecord Host(string id, int cpuUsed = 0, int memoryUsed = 0, HostStatus status = HostStatus.Connected,
        bool enabled = true, params string[] tags) => new()
    {
        HostId = id, AgentAddress = new Uri("http://agent/"), Cluster = "c", CpuCores = 16, MemoryMib = 32768,
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
