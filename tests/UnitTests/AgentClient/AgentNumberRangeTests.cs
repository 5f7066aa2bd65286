using System.Net;
using CloudBus.AgentClient;

namespace CloudBus.UnitTests.AgentClient;

/// <summary>
/// Numbers in an agent's answer outside what any working agent sends: the call fails as if the
/// agent had not answered, and the error names the field and the value.
/// </summary>
public sealed class AgentNumberRangeTests : IDisposable
{
    private const string GoodPing = """{"hostId":"h1","bootId":"b1","at":"2026-01-01T00:00:00+00:00"}""";
    private const string GoodHeartbeat =
        """{"hostId":"s1","sequence":7,"writtenAt":"2026-01-01T00:00:00+00:00","ageSeconds":1.5,"selfFenceAfterSeconds":8,"watchdog":true}""";
    private const string GoodVm = """{"vmId":"v1","state":"Running","incarnation":3,"cpuCores":2,"memoryMib":2048}""";
    private const string GoodEvent = """{"sequence":4,"hostId":"h1","vmId":"v1","kind":"Stopped","detail":"died","at":"2026-01-01T00:00:00+00:00"}""";

    private readonly ScriptedAgents _agents = new();
    private readonly HttpClient _http;
    private readonly HostAgentClient _client;

    public AgentNumberRangeTests()
    {
        _http = new HttpClient(_agents) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new HostAgentClient(_http);
    }

    [Theory]
    [InlineData("""{"hostId":"h1","bootId":"b1","at":"0001-01-01T00:00:00+00:00"}""", "at 0001-01-01")]
    [InlineData("""{"hostId":"h1","bootId":"b1","at":"9999-12-31T23:59:59+00:00"}""", "at 9999-12-31")]
    [InlineData("""{"hostId":"h1","bootId":"b1"}""", "at 0001-01-01")]
    public async Task A_ping_with_a_time_no_clock_reads_is_no_answer(string answer, string named) =>
        await AssertFailedReadAsync(() => _client.PingAsync([Agent(answer)], "h1", CancellationToken.None), named);

    [Theory]
    [InlineData("sequence", "-1", "sequence -1")]
    [InlineData("sequence", "0", "sequence 0")]
    [InlineData("sequence", "9223372036854775807", "sequence 9223372036854775807")]
    [InlineData("ageSeconds", "1e300", "ageSeconds 1E+300")]
    [InlineData("ageSeconds", "-86400", "ageSeconds -86400")]
    [InlineData("ageSeconds", "63900000000", "ageSeconds 63900000000")]
    [InlineData("selfFenceAfterSeconds", "0", "selfFenceAfterSeconds 0")]
    [InlineData("selfFenceAfterSeconds", "-8", "selfFenceAfterSeconds -8")]
    [InlineData("selfFenceAfterSeconds", "900000000000", "selfFenceAfterSeconds 900000000000")]
    [InlineData("writtenAt", "\"0001-01-01T00:00:00+00:00\"", "writtenAt 0001-01-01")]
    public async Task A_heartbeat_reading_out_of_range_is_a_failed_read(string field, string value, string named) =>
        await AssertFailedReadAsync(() => _client.ReadNeighbourHeartbeatAsync([Agent(With(GoodHeartbeat, field, value))], "n1", "s1", CancellationToken.None),
            named);

    [Theory]
    [InlineData("incarnation", "0", "incarnation 0")]
    [InlineData("incarnation", "-1", "incarnation -1")]
    [InlineData("incarnation", "9223372036854775807", "incarnation 9223372036854775807")]
    [InlineData("cpuCores", "0", "cpuCores 0")]
    [InlineData("cpuCores", "-4", "cpuCores -4")]
    [InlineData("cpuCores", "2147483647", "cpuCores 2147483647")]
    [InlineData("memoryMib", "0", "memoryMib 0")]
    [InlineData("memoryMib", "-2048", "memoryMib -2048")]
    public async Task A_vm_list_with_a_vm_out_of_range_is_a_failed_read(string field, string value, string named)
    {
        var answer = $$"""{"hostId":"h1","at":"2026-01-01T00:00:00+00:00","vms":[{{GoodVm}},{{With(GoodVm.Replace("v1", "v2", StringComparison.Ordinal), field, value)}}]}""";

        var failure = await AssertFailedReadAsync(() => _client.ListVmsAsync([Agent(answer)], "h1", CancellationToken.None), named);

        Assert.Contains("VM v2", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"hostId":"h1","at":"2026-01-01T00:00:00+00:00","vms":null}""", "vms missing")]
    [InlineData("""{"hostId":"h1","at":"2026-01-01T00:00:00+00:00","vms":[null]}""", "vms missing")]
    [InlineData("""{"hostId":"h1","at":"0001-01-01T00:00:00+00:00","vms":[]}""", "at 0001-01-01")]
    public async Task A_vm_list_that_is_missing_or_undated_is_a_failed_read(string answer, string named) =>
        await AssertFailedReadAsync(() => _client.ListVmsAsync([Agent(answer)], "h1", CancellationToken.None), named);

    [Theory]
    [InlineData("""{"events":[],"last":-1}""", "last -1")]
    [InlineData("""{"events":[],"last":9223372036854775807}""", "last 9223372036854775807")]
    [InlineData("""{"events":null,"last":3}""", "events missing")]
    [InlineData($$"""{"events":[{{GoodEvent}}],"last":3}""", "sequence 4")]
    [InlineData("""{"events":[{"sequence":0,"hostId":"h1","vmId":"v1","kind":"Stopped","detail":"died","at":"2026-01-01T00:00:00+00:00"}],"last":3}""", "sequence 0")]
    public async Task Events_out_of_range_are_a_failed_read(string answer, string named) =>
        await AssertFailedReadAsync(() => _client.WaitForEventsAsync([Agent(answer)], "h1", 0, TimeSpan.Zero, CancellationToken.None), named);

    [Fact]
    public async Task Answers_in_range_are_read_as_they_are()
    {
        // A writer's clock slightly ahead of the reader's gives a slightly negative age; a host that does not state its self-fence time sends null.
        var heartbeat = await _client.ReadNeighbourHeartbeatAsync(
            [Agent(With(With(GoodHeartbeat, "ageSeconds", "-0.25"), "selfFenceAfterSeconds", "null"))], "n1", "s1", CancellationToken.None);
        var vms = await _client.ListVmsAsync([Agent($$"""{"hostId":"h1","at":"2026-01-01T00:00:00+00:00","vms":[{{GoodVm}}]}""")], "h1", CancellationToken.None);
        var events = await _client.WaitForEventsAsync([Agent($$"""{"events":[{{GoodEvent}}],"last":4}""")], "h1", 0, TimeSpan.Zero, CancellationToken.None);
        var ping = await _client.PingAsync([Agent(GoodPing)], "h1", CancellationToken.None);

        Assert.Equal((7, -0.25, null), (heartbeat.Sequence, heartbeat.AgeSeconds, heartbeat.SelfFenceAfterSeconds));
        Assert.Equal(3, Assert.Single(vms.Vms).Incarnation);
        Assert.Equal(4, Assert.Single(events.Events).Sequence);
        Assert.Equal("b1", ping.BootId);
    }

    [Fact]
    public async Task The_error_text_of_a_vm_out_of_range_is_cleaned_and_capped()
    {
        var hostileId = "v\u0000\r\n" + new string('x', 5000);
        var answer = $$"""{"hostId":"h1","at":"2026-01-01T00:00:00+00:00","vms":[{"vmId":"{{System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(hostileId)}}","state":"Running","incarnation":-1,"cpuCores":1,"memoryMib":1}]}""";

        var failure = await AssertFailedReadAsync(() => _client.ListVmsAsync([Agent(answer)], "h1", CancellationToken.None), "incarnation -1");

        Assert.DoesNotContain(failure.Message, char.IsControl);
        Assert.True(failure.Message.Length < 600);
    }

    private static async Task<AgentUnavailableException> AssertFailedReadAsync(Func<Task> call, string named)
    {
        var failure = await Assert.ThrowsAsync<AgentUnavailableException>(call);
        Assert.False(failure.IsRefusal);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
        return failure;
    }

    private Uri Agent(string answer) => _agents.Answering("agent", HttpStatusCode.OK, answer, "application/json");

    /// <summary>The JSON object with one field's value replaced (or added, if it is not there).</summary>
    private static string With(string json, string field, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        return node.ToJsonString();
    }

    public void Dispose()
    {
        _http.Dispose();
        _agents.Dispose();
    }
}
