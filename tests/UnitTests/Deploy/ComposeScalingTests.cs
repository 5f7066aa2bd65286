using System.Text.RegularExpressions;

namespace CloudBus.UnitTests.Deploy;

/// <summary>
/// Every service built from this repository scales with <c>docker compose up --scale</c>, except
/// the host agent: it stands for the hypervisors (one simulated fleet), and a second one would
/// claim the same hosts. Scaling needs no fixed container name and a published port whose variable
/// may be set to nothing, so that the engine picks a free port per instance.
/// </summary>
public sealed partial class ComposeScalingTests
{
    private const string NotScaled = "host-agent";

    private static IEnumerable<string> Scaled() =>
        ComposeFile.Services().Where(service => service.Value.ContainsKey("build") && service.Key != NotScaled).Select(service => service.Key);

    public static TheoryData<string> ScaledServices() => [.. Scaled()];

    [Fact]
    public void The_control_plane_services_are_among_those_that_scale() =>
        Assert.Superset(new HashSet<string> { "node-registry", "host-monitor", "vm-lifecycle", "ha-orchestrator" }, Scaled().ToHashSet());

    [Theory]
    [MemberData(nameof(ScaledServices))]
    public void A_service_scales_with_no_fixed_name_and_ports_the_engine_may_pick(string name)
    {
        var service = ComposeFile.Services()[name];
        Assert.False(service.ContainsKey("container_name"), $"{name} has a container_name: a second instance could not be created");
        var ports = service.TryGetValue("ports", out var published) ? ((List<object>)published).Cast<string>().ToList() : [];
        Assert.All(ports, port => Assert.True(EmptyAllowedHostPort().IsMatch(port),
            $"{name} publishes {port}: its host port must be ${{VAR-default}} (not :-), so VAR= lets each instance get a port of its own"));
    }

    // "...:${CLOUDBUS_X_PORT-8080}:8080": the host port from a variable whose empty value is kept.
    [GeneratedRegex(@":\$\{[A-Z_]+-\d+\}:\d+""?$")]
    private static partial Regex EmptyAllowedHostPort();
}
