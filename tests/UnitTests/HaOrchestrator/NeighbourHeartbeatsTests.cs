using System.Threading.Channels;
using CloudBus.AgentClient;
using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Investigation;
using CloudBus.Messages.Hosts;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.HaOrchestrator;

public sealed class NeighbourHeartbeatsTests
{
    /// <summary>Far longer than the test may take: only the fake clock can end a call this long.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_neighbour_that_never_answers_is_given_up_on_when_the_injected_clock_says_the_call_timed_out()
    {
        using var agent = new SilentAgent();
        using var http = new HttpClient(agent) { Timeout = Timeout.InfiniteTimeSpan };
        var options = Options.Create(new HaOptions { AgentCallTimeout = CallTimeout, HeartbeatReadInterval = TimeSpan.FromSeconds(1) });
        var heartbeats = new NeighbourHeartbeats(new HostAgentClient(http), options, _clock);
        var neighbour = new KnownHost("n1", [new Uri("http://agent.invalid/")], "c1", [], HostStatus.Connected);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var suspect = new KnownHost("suspect", [new Uri("http://suspect.invalid:7070/")], "c1", [], HostStatus.Suspect);
        var watching = heartbeats.WatchAsync(suspect, [neighbour], TimeSpan.FromSeconds(10), askReach: true, CancellationToken.None);

        // Each call's timer is set before its request goes out, so advancing once the request is in ends it.
        Assert.EndsWith("/neighbours/suspect/ping?address=http%3A%2F%2Fsuspect.invalid%3A7070%2F", await agent.Requests.ReadAsync(deadline.Token));
        _clock.Advance(CallTimeout);
        Assert.EndsWith("/storage/heartbeats/suspect", await agent.Requests.ReadAsync(deadline.Token));
        _clock.Advance(CallTimeout);
        var watch = Assert.Single(await watching.WaitAsync(deadline.Token));

        Assert.Null(watch.ReachesSuspect);
        Assert.Equal(HeartbeatTrend.NoAnswer, watch.Trend);
        Assert.Contains("no answer", watch.Describe());
    }

    /// <summary>A host agent that takes every request and answers none until the caller gives up.</summary>
    private sealed class SilentAgent : HttpMessageHandler
    {
        private readonly Channel<string> _requests = Channel.CreateUnbounded<string>();

        public ChannelReader<string> Requests => _requests.Reader;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await _requests.Writer.WriteAsync(request.RequestUri!.PathAndQuery, CancellationToken.None);
            // No answer ever comes: only the caller's cancellation ends the call.
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
