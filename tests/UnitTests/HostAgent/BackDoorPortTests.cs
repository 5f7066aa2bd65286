using CloudBus.HostAgent.Api.BackDoor;
using Microsoft.AspNetCore.Builder;

namespace CloudBus.UnitTests.HostAgent;

public sealed class BackDoorPortTests
{
    [Fact]
    public void A_back_door_on_the_control_planes_own_port_is_refused_with_a_message()
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://0.0.0.0:7070", "--Simulated:BackDoorPort", "7070"]);

        var refused = Assert.Throws<InvalidOperationException>(() => BackDoorPort.Listen(builder));

        Assert.Contains("give the back door a port of its own", refused.Message);
    }

    [Fact]
    public void No_port_no_back_door() =>
        Assert.Equal(0, BackDoorPort.Listen(WebApplication.CreateBuilder(["--urls", "http://0.0.0.0:7070"])));
}
