using System.Net;
using System.Threading.Channels;
using CloudBus.AgentClient;
using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Fencing;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Investigation;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.HaOrchestrator;

/// <summary>
/// A neighbour whose agent answers a heartbeat reading with numbers no working agent sends: the
/// reading is no reading, neither life nor death of the suspect, and never an overflow that ends
/// the whole investigation round.
/// </summary>
public sealed class HeartbeatReadingRangeTests
{
    private static readonly TimeSpan ReadInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);
    private static readonly KnownHost Suspect = new("suspect", [new Uri("http://suspect.invalid:7070/")], "c1", [], HostStatus.Suspect);

    /// <summary>A heartbeat 100 s old and not advancing: stale past any threshold here.</summary>
    private const string StaleHeartbeat =
        """{"hostId":"suspect","sequence":7,"writtenAt":"2025-12-31T23:58:20+00:00","ageSeconds":100,"selfFenceAfterSeconds":8,"watchdog":true}""";

    private readonly DelayDrivenClock _clock = new(ReadInterval);

    [Fact]
    public async Task An_age_too_large_for_a_TimeSpan_fails_that_neighbours_reading_not_the_round()
    {
        var watches = await WatchAsync(new()
        {
            ["n1"] = StaleHeartbeat.Replace("\"ageSeconds\":100", "\"ageSeconds\":1e300", StringComparison.Ordinal),
            ["n2"] = StaleHeartbeat,
        });

        Assert.Equal(HeartbeatTrend.NoAnswer, watches[0].Trend);
        Assert.Contains("ageSeconds 1E+300", watches[0].Describe(), StringComparison.Ordinal);
        Assert.Equal(HeartbeatTrend.Stale, watches[1].Trend);
    }

    [Fact]
    public async Task A_heartbeat_written_in_year_one_is_no_evidence_that_the_host_is_dead()
    {
        // What a zeroed heartbeat record reads as: 2025 years old, so "stale".
        var watches = await WatchAsync(new()
        {
            ["n1"] = """{"hostId":"suspect","sequence":7,"writtenAt":"0001-01-01T00:00:00+00:00","ageSeconds":63871286400}""",
        });

        Assert.Equal(HeartbeatTrend.NoAnswer, Assert.Single(watches).Trend);
        Assert.NotEqual(HostVerdict.Down, VerdictRules.Decide(answeredDirectly: false, watches).Value);
    }

    [Fact]
    public async Task A_stated_self_fence_time_beyond_TimeSpan_arithmetic_is_no_reading_and_proves_nothing()
    {
        // Just inside TimeSpan's range: adding the margin to it overflows.
        var watches = await WatchAsync(new()
        {
            ["n1"] = StaleHeartbeat.Replace("\"selfFenceAfterSeconds\":8", "\"selfFenceAfterSeconds\":922337203684", StringComparison.Ordinal),
        });

        var proven = SelfFenceProof.Holds(watches, TimeSpan.FromSeconds(2), out _);

        Assert.False(proven);
        Assert.Equal(HeartbeatTrend.NoAnswer, Assert.Single(watches).Trend);
    }

    /// <summary>Watches the suspect through neighbours that each answer every reading with their fixed JSON, the fake clock moved on at each read interval.</summary>
    private async Task<IReadOnlyList<HeartbeatWatch>> WatchAsync(Dictionary<string, string> answers)
    {
        using var agents = new FixedAnswerAgents(answers);
        using var http = new HttpClient(agents) { Timeout = Timeout.InfiniteTimeSpan };
        // Calls take no fake time, so the call timeout never ends one; it only bounds the watch.
        var options = Options.Create(new HaOptions { AgentCallTimeout = TimeSpan.FromSeconds(5), HeartbeatReadInterval = ReadInterval });
        var heartbeats = new NeighbourHeartbeats(new HostAgentClient(http), options, _clock);
        var neighbours = answers.Keys.Select(id => new KnownHost(id, [new Uri($"http://{id}:7070/")], "c1", [], HostStatus.Connected)).ToList();

        var watching = heartbeats.WatchAsync(Suspect, neighbours, StaleAfter, askReach: false, CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var delay = _clock.Delays.ReadAsync(deadline.Token).AsTask();
            if (await Task.WhenAny(watching, delay) == watching) return await watching;
            _clock.Advance(await delay);
        }
    }

    /// <summary>
    /// A fake clock that says when a wait of the read interval starts, so a test moves time on
    /// exactly when the watch waits (never before the wait is set, which would lose it).
    /// </summary>
    private sealed class DelayDrivenClock(TimeSpan delay) : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        private readonly Channel<TimeSpan> _delays = Channel.CreateUnbounded<TimeSpan>();

        public ChannelReader<TimeSpan> Delays => _delays.Reader;

        public void Advance(TimeSpan by) => _fake.Advance(by);

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            if (dueTime == delay) _delays.Writer.TryWrite(dueTime);
            return timer;
        }
    }

    /// <summary>Agents that answer every request with their host's fixed JSON.</summary>
    private sealed class FixedAnswerAgents(Dictionary<string, string> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(answers[request.RequestUri!.Host], System.Text.Encoding.UTF8, "application/json"),
            });
    }
}
