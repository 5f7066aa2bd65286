using System.Net;
using CloudBus.AgentClient;

namespace CloudBus.UnitTests.AgentClient;

/// <summary>What of an agent's answer reaches the control plane's messages: a request forged through a registered address must not reflect the answer.</summary>
public sealed class AgentAnswerTests : IDisposable
{
    private readonly ScriptedAgents _agents = new();
    private readonly HttpClient _http;
    private readonly HostAgentClient _client;

    public AgentAnswerTests()
    {
        _http = new HttpClient(_agents) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = 64 * 1024 };
        _client = new HostAgentClient(_http);
    }

    [Fact]
    public async Task An_error_answer_that_is_not_a_problem_is_reduced_to_its_status()
    {
        var internalPage = _agents.Answering("intranet", HttpStatusCode.Forbidden, "<html>secret internal page</html>", "text/html");

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(() => _client.PingAsync([internalPage], "h1", CancellationToken.None));

        Assert.Equal("Host h1: 403 Forbidden", failure.Message);
        Assert.True(failure.IsRefusal);
    }

    [Fact]
    public async Task A_problem_answer_gives_its_title_and_detail_without_control_characters_and_capped()
    {
        var agent = _agents.Answering("agent", HttpStatusCode.Conflict,
            $$"""{"title":"Not enough free capacity","detail":"needs 4 cores\u0000\r\n{{new string('x', 1000)}}","extra":"not shown"}""", "application/problem+json");

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(() => _client.PingAsync([agent], "h1", CancellationToken.None));

        Assert.StartsWith("Host h1: 409 Conflict: Not enough free capacity: needs 4 cores" + new string('x', 10), failure.Message);
        Assert.DoesNotContain("not shown", failure.Message);
        Assert.DoesNotContain(failure.Message, char.IsControl);
        Assert.True(failure.Message.Length < 400);
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_fails_the_call_as_no_answer_would()
    {
        var flood = _agents.Answering("flood", HttpStatusCode.OK, new string(' ', 128 * 1024), "application/json");

        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(() => _client.PingAsync([flood], "h1", CancellationToken.None));

        Assert.False(failure.IsRefusal);
        Assert.StartsWith("Host h1: no answer", failure.Message);
    }

    public void Dispose()
    {
        _http.Dispose();
        _agents.Dispose();
    }
}
