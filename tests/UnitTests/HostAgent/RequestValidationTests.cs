using CloudBus.HostAgent.Api.BackDoor;
using CloudBus.HostAgent.Api.ControlPlane;

namespace CloudBus.UnitTests.HostAgent;

public sealed class RequestValidationTests
{
    [Fact]
    public void A_complete_start_request_has_no_problem()
    {
        Assert.Null(new StartVmRequest(Incarnation: 0, CpuCores: 1, MemoryMib: 1).Problem());
    }

    [Theory]
    [InlineData(null, 1, 1, "incarnation")]
    [InlineData(-1L, 1, 1, "incarnation")]
    [InlineData(1L, null, 1, "cpuCores")]
    [InlineData(1L, 0, 1, "cpuCores")]
    [InlineData(1L, 1, null, "memoryMib")]
    public void A_start_request_problem_names_the_field(long? incarnation, int? cpuCores, int? memoryMib, string field)
    {
        Assert.StartsWith(field, new StartVmRequest(incarnation, cpuCores, memoryMib).Problem(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "hostId is required.")]
    [InlineData("../x", null, "Host id '../x' is not valid")]
    [InlineData("h1", 0, "cpuCores must be at least 1.")]
    public void An_add_host_request_problem_says_what_is_wrong(string? hostId, int? cpuCores, string expected)
    {
        Assert.StartsWith(expected, new AddHostRequest(hostId, null, cpuCores, null).Problem(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void A_failure_rate_outside_zero_to_one_is_a_problem(double rate)
    {
        Assert.NotNull(new FlakyRequest(rate).Problem());
    }
}
