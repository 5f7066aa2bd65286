using CloudBus.WebConsole;

namespace CloudBus.UnitTests.WebConsole;

public sealed class ConsoleOptionsTests
{
    private static ConsoleOptions With(params (string Key, string Value)[] services) =>
        new() { Services = services.ToDictionary(s => s.Key, s => s.Value) };

    private static readonly (string, string)[] AllFour =
    [
        ("vm_lifecycle", "http://127.0.0.1:1/"), ("host_monitor", "http://127.0.0.1:2"), ("node_registry", "http://127.0.0.1:3/"),
        ("ha-orchestrator", "http://127.0.0.1:4/,http://127.0.0.1:5/"),
    ];

    [Fact]
    public void Underscored_and_dashed_names_both_name_a_service_and_instances_are_comma_separated()
    {
        var options = With(AllFour);
        Assert.Null(options.Problem());
        Assert.Equal([new Uri("http://127.0.0.1:2/")], options.InstancesOf("host-monitor"));
        Assert.Equal([new Uri("http://127.0.0.1:4/"), new Uri("http://127.0.0.1:5/")], options.InstancesOf("ha-orchestrator"));
        Assert.Empty(options.InstancesOf("no-such-service"));
    }

    [Fact]
    public void A_missing_service_an_unknown_one_or_an_address_that_is_not_a_url_is_named()
    {
        Assert.Contains("lacks node-registry (Console__Services__node_registry=", With([.. AllFour.Where(s => s.Item1 != "node_registry")]).Problem());
        Assert.Contains("billing: not a service the console shows", With([.. AllFour, ("billing", "http://127.0.0.1:9/")]).Problem());
        Assert.Contains("'ftp://x' is not an http(s) URL", With([.. AllFour.Where(s => s.Item1 != "vm_lifecycle"), ("vm_lifecycle", "ftp://x")]).Problem());
    }
}
