using CloudBus.AgentClient;

namespace CloudBus.UnitTests.AgentClient;

/// <summary>A host with several agent addresses: the next is tried when one fails, and the one that answered is kept.</summary>
public sealed class AddressFailoverTests : IDisposable
{
    private readonly ScriptedAgents _agents = new();
    private readonly HttpClient _http;
    private readonly HostAgentClient _client;

    public AddressFailoverTests()
    {
        _http = new HttpClient(_agents) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new HostAgentClient(_http, new PreferredAgentAddresses());
    }

    [Fact]
    public async Task A_refused_first_address_fails_over_to_the_second_which_is_then_tried_first()
    {
        Uri[] addresses = [_agents.Refusing("mgmt-a"), _agents.Answering("mgmt-b")];

        var ping = await _client.PingAsync(addresses, "h1", CancellationToken.None);
        await _client.PingAsync(addresses, "h1", CancellationToken.None);

        Assert.Equal("mgmt-b", ping.BootId);
        Assert.Equal(["mgmt-a", "mgmt-b", "mgmt-b"], _agents.Tried);
    }

    [Fact]
    public async Task The_call_fails_only_when_every_address_failed_and_says_what_each_did()
    {
        Uri[] addresses = [_agents.Refusing("mgmt-a"), _agents.Refusing("mgmt-b")];

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(() => _client.PingAsync(addresses, "h1", CancellationToken.None));

        Assert.False(failure.IsRefusal);
        Assert.Contains("http://mgmt-a:7070/ Connection refused (mgmt-a)", failure.Message);
        Assert.Contains("http://mgmt-b:7070/ Connection refused (mgmt-b)", failure.Message);
    }

    [Fact]
    public async Task An_http_answer_even_a_refusal_is_the_host_speaking_and_no_other_address_is_tried()
    {
        Uri[] addresses = [_agents.Rejecting("mgmt-a"), _agents.Answering("mgmt-b")];

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(() => _client.PingAsync(addresses, "h1", CancellationToken.None));

        Assert.True(failure.IsRefusal);
        Assert.Equal(["mgmt-a"], _agents.Tried);
    }

    [Fact]
    public async Task When_the_callers_time_is_up_no_further_address_is_tried()
    {
        Uri[] addresses = [_agents.Silent("mgmt-a"), _agents.Answering("mgmt-b")];
        using var timeout = new CancellationTokenSource();

        var call = _client.PingAsync(addresses, "h1", timeout.Token);
        await timeout.CancelAsync();

        await Assert.ThrowsAsync<AgentUnavailableException>(() => call);
        Assert.Equal(["mgmt-a"], _agents.Tried);
    }

    [Fact]
    public async Task What_one_host_answered_on_does_not_reorder_another_hosts_addresses()
    {
        Uri[] addresses = [_agents.Refusing("mgmt-a"), _agents.Answering("mgmt-b")];
        await _client.PingAsync(addresses, "h1", CancellationToken.None);

        await _client.PingAsync(addresses, "h2", CancellationToken.None);

        Assert.Equal(["mgmt-a", "mgmt-b", "mgmt-a", "mgmt-b"], _agents.Tried);
    }

    public void Dispose()
    {
        _http.Dispose();
        _agents.Dispose();
    }
}
