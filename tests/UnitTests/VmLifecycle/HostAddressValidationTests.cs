using CloudBus.VmLifecycle.Api;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class HostAddressValidationTests
{
    private static RegisterHostRequest Host(string[]? alternateAgents = null, string? bmc = null, string[]? alternateBmcs = null) =>
        new("host-1", "http://10.0.0.5:7070/", "cluster-a", 16, 32768, null, BmcAddress: bmc,
            AlternateAgentAddresses: alternateAgents, AlternateBmcAddresses: alternateBmcs);

    [Fact]
    public void Alternate_agent_and_bmc_addresses_on_other_networks_are_accepted() =>
        Assert.True(Host(["http://10.1.0.5:7070/"], "10.0.1.5:623", ["10.1.1.5:623"]).Validate().IsValid);

    [Theory]
    [InlineData("ftp://10.1.0.5/")]
    [InlineData("not a url")]
    [InlineData("http://10.0.0.5:7070/")]
    public void An_alternate_agent_address_that_is_not_a_url_or_repeats_the_first_is_named(string alternate) =>
        Assert.Contains("none equal to agentAddress", Host([alternate]).Validate().Errors["alternateAgentAddresses"][0]);

    [Fact]
    public void Alternate_bmc_addresses_need_a_first_one_and_must_be_host_and_port()
    {
        Assert.Contains("need a bmcAddress", Host(alternateBmcs: ["10.1.1.5:623"]).Validate().Errors["alternateBmcAddresses"][0]);
        Assert.True(Host(bmc: "10.0.1.5:623", alternateBmcs: ["10.1.1.5"]).Validate().Errors.ContainsKey("alternateBmcAddresses"));
        Assert.True(Host(bmc: "10.0.1.5:623", alternateBmcs: ["10.0.1.5:623"]).Validate().Errors.ContainsKey("alternateBmcAddresses"));
    }

    [Fact]
    public void At_most_eight_alternates()
    {
        var nine = Enumerable.Range(1, 9).Select(i => $"http://10.{i}.0.5:7070/").ToArray();
        Assert.True(Host(nine).Validate().Errors.ContainsKey("alternateAgentAddresses"));
    }
}
