using CloudBus.WatchdogEmulator;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.Tools;

public sealed class EmulatedHostWatchdogTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Pets_within_the_timeout_keep_the_host_and_silence_for_the_timeout_resets_it_once()
    {
        var watchdog = new EmulatedHostWatchdog(_clock);
        watchdog.Arm(timeoutSeconds: 3);
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2.9));
            Assert.False(watchdog.Expired());
            watchdog.Pet();
        }

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(watchdog.Expired());
        Assert.False(watchdog.Expired());
    }

    [Fact]
    public void A_watchdog_never_armed_or_expired_is_not_brought_back_by_a_pet()
    {
        var watchdog = new EmulatedHostWatchdog(_clock);
        watchdog.Pet();
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.False(watchdog.Expired());

        watchdog.Arm(1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(watchdog.Expired());
        watchdog.Pet();
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(watchdog.Expired());
    }

    [Theory]
    [InlineData(new[] { "--socket", "/run/w.sock", "--reset", "kill 1" }, true)]
    [InlineData(new[] { "--socket", "/run/w.sock" }, false)]
    [InlineData(new[] { "--socket", "", "--reset", "kill 1" }, false)]
    [InlineData(new string[0], false)]
    public void Both_the_socket_and_the_reset_command_are_required(string[] args, bool valid) =>
        Assert.Equal(valid, Arguments.Parse(args) is not null);
}
