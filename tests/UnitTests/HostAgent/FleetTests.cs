using CloudBus.HostAgent.Simulation;

namespace CloudBus.UnitTests.HostAgent;

public sealed class FleetTests : IDisposable
{
    private readonly SimulationRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Adding_a_host_again_with_the_same_shape_is_not_an_error_but_another_shape_conflicts()
    {
        var shape = new HostShape("h1", "cluster-a", 8, 4096);

        Assert.Equal(AddHostOutcome.Created, _rig.Fleet.AddHost(shape));
        Assert.Equal(AddHostOutcome.AlreadyExists, _rig.Fleet.AddHost(shape));
        Assert.Equal(AddHostOutcome.Conflict, _rig.Fleet.AddHost(shape with { CpuCores = 16 }));
    }

    [Fact]
    public void Hosts_are_listed_in_id_order_powered_on_without_faults()
    {
        _rig.WithHosts("h2", "h1");

        var hosts = _rig.Fleet.ListHosts();

        Assert.Equal(["h1", "h2"], hosts.Select(h => h.HostId));
        Assert.All(hosts, h => Assert.Equal(new FleetHostView(h.HostId, "cluster-a", 16, 32768, true, HostFaults.None, 0), h));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData(".hidden")]
    [InlineData("h 1")]
    [InlineData("h/1")]
    public void A_host_id_that_could_escape_the_heartbeat_folder_is_refused(string hostId)
    {
        Assert.Throws<ArgumentException>(() => _rig.Fleet.AddHost(new HostShape(hostId, "cluster-a", 1, 1)));
    }
}
