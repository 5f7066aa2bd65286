using CloudBus.VmLifecycle;
using CloudBus.VmLifecycle.Api;
using Microsoft.Extensions.Options;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class AgentNetworksTests
{
    private static readonly AgentNetworks Defaults = new(Options.Create(new VmLifecycleOptions()), TimeProvider.System);

    [Theory]
    [InlineData("http://10.0.0.5:7070/")]
    [InlineData("http://192.168.1.20:7070/")]
    [InlineData("http://127.0.0.1:7070/")]
    [InlineData("http://[::1]:7070/")]
    [InlineData("http://[fd00::5]:7070/")]
    [InlineData("http://localhost:7070/")]
    public async Task Agents_on_loopback_and_private_networks_are_allowed_by_default(string address) =>
        Assert.Null(await Defaults.CheckAsync([new Uri(address)], CancellationToken.None));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")] // a cloud's metadata service
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    public async Task Other_addresses_are_refused_and_the_setting_is_named(string address) =>
        Assert.Contains("VmLifecycle__AllowedAgentNetworks", await Defaults.CheckAsync([new Uri(address)], CancellationToken.None));

    [Fact]
    public async Task Every_address_of_a_host_must_be_allowed_and_names_must_resolve()
    {
        Assert.Contains("169.254.1.1", await Defaults.CheckAsync([new Uri("http://10.0.0.5/"), new Uri("http://169.254.1.1/")], CancellationToken.None));
        Assert.Contains("cannot be resolved", await Defaults.CheckAsync([new Uri("http://no-such-host.invalid/")], CancellationToken.None));
    }

    [Fact]
    public async Task The_networks_are_a_setting_and_a_bad_one_is_caught_at_start()
    {
        var only = new AgentNetworks(Options.Create(new VmLifecycleOptions { AllowedAgentNetworks = "10.20.0.0/16" }), TimeProvider.System);
        Assert.Null(await only.CheckAsync([new Uri("http://10.20.3.4/")], CancellationToken.None));
        Assert.NotNull(await only.CheckAsync([new Uri("http://10.21.3.4/")], CancellationToken.None));
        Assert.False(AgentNetworks.IsValid("10.0.0.0/8,not-a-network"));
        Assert.True(AgentNetworks.IsValid(new VmLifecycleOptions().AllowedAgentNetworks));
    }
}
