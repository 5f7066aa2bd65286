using CloudBus.HostAgent.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudBus.UnitTests.HostAgent;

public sealed class SimulatedOptionsTests
{
    [Fact]
    public void Defaults_match_the_documented_ones()
    {
        var options = Resolve([]);

        Assert.Empty(options.HostIds());
        Assert.Equal("cluster-a", options.Cluster);
        Assert.Equal((16, 32768), (options.CpuCores, options.MemoryMib));
        Assert.Equal(Path.Combine(Path.GetTempPath(), "cloudbus-heartbeats"), options.HeartbeatDirectory);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(8), options.SelfFenceAfter);
    }

    [Fact]
    public void Hosts_and_time_spans_bind_from_configuration()
    {
        var options = Resolve(new()
        {
            ["Simulated:Hosts"] = " h1, h2 ,,h3",
            ["Simulated:HeartbeatInterval"] = "00:00:01",
            ["Simulated:SelfFenceAfter"] = "00:00:05",
        });

        Assert.Equal(["h1", "h2", "h3"], options.HostIds());
        Assert.Equal(TimeSpan.FromSeconds(1), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SelfFenceAfter);
    }

    [Theory]
    [InlineData("Simulated:SelfFenceAfter", "00:00:00")]
    [InlineData("Simulated:HeartbeatInterval", "-00:00:01")]
    [InlineData("Simulated:CpuCores", "0")]
    [InlineData("Simulated:Hosts", "h1,../h2")]
    public void A_wrong_value_is_refused_with_a_message_naming_the_setting(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static SimulatedOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddSimulatedDriver();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SimulatedOptions>>().Value;
    }
}
