using CloudBus.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.ServiceDefaults.Bus;

/// <summary>The broker's refusals as episodes: what makes the bus restart, and what does not.</summary>
public sealed class BrokerRefusalsTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly BrokerRefusals _refusals;

    public BrokerRefusalsTests() => _refusals = new BrokerRefusals(_clock);

    // As MassTransit reports a negative confirm: its connection exception around the client's.
    private static RabbitMqConnectionException Refused() => new RabbitMqConnectionException("BasicPublishAsync failed", new RabbitMQ.Client.Exceptions.PublishException(7, isReturn: false));

    [Fact]
    public void Refusals_without_a_long_pause_make_one_episode_that_lasts_from_the_first_to_the_last()
    {
        for (var second = 0; second <= 20; second += 2)
        {
            _refusals.Record(Refused());
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(TimeSpan.FromSeconds(20), _refusals.EpisodeLength());
    }

    [Fact]
    public void A_pause_longer_than_the_quiet_gap_ends_the_episode_and_the_next_refusal_starts_a_new_one()
    {
        _refusals.Record(Refused());
        _clock.Advance(TimeSpan.FromSeconds(8));
        _refusals.Record(Refused());
        _clock.Advance(BrokerRefusals.QuietGap + TimeSpan.FromSeconds(1));
        Assert.Null(_refusals.EpisodeLength());

        _refusals.Record(Refused());
        Assert.Equal(TimeSpan.Zero, _refusals.EpisodeLength());
    }

    [Fact]
    public void Lost_connections_and_returned_messages_are_not_refusals()
    {
        _refusals.Record(new RabbitMqConnectionException("connection lost", new IOException("reset by peer")));
        _refusals.Record(new RabbitMqConnectionException("BasicPublishAsync failed", new RabbitMQ.Client.Exceptions.PublishException(8, isReturn: true)));
        _refusals.Record(new TimeoutException("The broker did not confirm a heartbeat within 0.5 s"));

        Assert.Null(_refusals.EpisodeLength());
    }

    [Fact]
    public void Forgetting_ends_the_episode_so_that_a_restarted_bus_is_judged_afresh()
    {
        _refusals.Record(Refused());
        _clock.Advance(TimeSpan.FromSeconds(5));
        _refusals.Record(Refused());

        _refusals.Forget();

        Assert.Null(_refusals.EpisodeLength());
    }
}
