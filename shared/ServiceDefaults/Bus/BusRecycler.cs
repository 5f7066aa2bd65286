using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// Stops and starts the bus when the broker has refused this instance's messages for
/// <see cref="RabbitMqOptions.RecycleAfterRefusalsFor"/> (see <see cref="BrokerRefusals"/>): the
/// bus comes back on new connections and channels, which the broker serves again, and what waited
/// meanwhile (the outbox, heartbeats) goes out. Consumers in flight finish first (MassTransit's stop
/// waits for them, up to its stop timeout); their messages stay on their queues until then.
/// </summary>
public sealed partial class BusRecycler(
    IBusControl bus, BrokerRefusals refusals, IOptions<RabbitMqOptions> options, TimeProvider clock, ILogger<BusRecycler> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(CheckInterval, clock, RecycleIfRefusedAsync, exception =>
        {
            LogRecycleFailed(exception);
            return Task.CompletedTask;
        }, stoppingToken);

    private async Task RecycleIfRefusedAsync(CancellationToken cancellationToken)
    {
        if (refusals.EpisodeLength() is not { } refusedFor || refusedFor < options.Value.RecycleAfterRefusalsFor) return;
        LogRecycling(refusedFor.TotalSeconds);
        refusals.Forget();
        using (var stopping = new CancellationTokenSource(StopTimeout, clock))
            await bus.StopAsync(stopping.Token);
        await bus.StartAsync(cancellationToken);
        LogRecycled();
    }

    [LoggerMessage(EventId = 160, Level = LogLevel.Warning,
        Message = "The broker has refused this instance's messages for {Seconds:0} s (negative confirms on a live connection): restarting the bus on new connections")]
    private partial void LogRecycling(double seconds);

    [LoggerMessage(EventId = 161, Level = LogLevel.Information, Message = "Bus restarted on new connections")]
    private partial void LogRecycled();

    [LoggerMessage(EventId = 162, Level = LogLevel.Error, Message = "Restarting the bus failed; trying again while the broker still refuses")]
    private partial void LogRecycleFailed(Exception exception);
}
