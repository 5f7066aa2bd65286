using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.UnitTests.HostAgent;

public sealed class NeighbourPingTests : IDisposable
{
    private readonly SimulationRig _rig = new SimulationRig().WithHosts("h1", "h2");

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_healthy_neighbour_is_reachable()
    {
        Assert.True(_rig.Driver.PingNeighbour("h2", "h1").Value);
    }

    [Fact]
    public void A_host_cut_off_only_from_the_control_plane_is_still_reachable_by_neighbours()
    {
        _rig.Faults.CutControlPlane("h1");

        Assert.True(_rig.Driver.PingNeighbour("h2", "h1").Value);
    }

    [Fact]
    public void An_isolated_host_is_not_reachable_by_neighbours()
    {
        _rig.Faults.Isolate("h1");

        Assert.False(_rig.Driver.PingNeighbour("h2", "h1").Value);
    }

    [Fact]
    public void A_powered_off_host_is_not_reachable_by_neighbours()
    {
        _rig.Faults.PowerOff("h1");

        Assert.False(_rig.Driver.PingNeighbour("h2", "h1").Value);
    }

    [Fact]
    public void A_host_this_agent_does_not_serve_is_not_reachable()
    {
        Assert.False(_rig.Driver.PingNeighbour("h2", "elsewhere").Value);
    }

    [Fact]
    public void The_ping_fails_when_the_neighbour_asked_is_itself_unreachable()
    {
        _rig.Faults.PowerOff("h2");

        Assert.Equal(HostCallStatus.Unreachable, _rig.Driver.PingNeighbour("h2", "h1").Status);
    }
}
