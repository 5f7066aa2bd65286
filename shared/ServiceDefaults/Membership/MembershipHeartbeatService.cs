using CloudBus.Messages.Registry;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudBus.ServiceDefaults.Membership;

/// <summary>
/// Publishes <see cref="ServiceInstanceHeartbeat"/> on an interval, and <see cref="ServiceInstanceStopped"/>
/// on a clean shutdown so that NodeRegistry drops this instance at once instead of waiting for misses.
/// </summary>
internal sealed partial class MembershipHeartbeatService(
    ServiceIdentity identity,
    IBus bus,
    IServer server,
    IOptions<MembershipOptions> options,
    TimeProvider clock,
    ILogger<MembershipHeartbeatService> logger) : BackgroundService
{
    // The broker may be restarting; the next tick tries again and NodeRegistry tolerates misses. A
    // heartbeat waits for its confirm one interval at most: one that never returns would stop them all.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(options.Value.HeartbeatInterval, clock,
            ct => ConfirmWait.WithinAsync(options.Value.HeartbeatInterval, clock, "a heartbeat", token => bus.Publish(new ServiceInstanceHeartbeat
            {
                Service = identity.ServiceName,
                InstanceId = identity.InstanceId,
                Address = OwnAddress(),
                StartedAt = identity.StartedAt,
                SentAt = clock.GetUtcNow(),
            }, token), ct),
            exception =>
            {
                LogHeartbeatFailed(exception);
                return Task.CompletedTask;
            }, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await bus.Publish(new ServiceInstanceStopped
            {
                Service = identity.ServiceName,
                InstanceId = identity.InstanceId,
                StoppedAt = clock.GetUtcNow(),
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHeartbeatFailed(exception);
        }
    }

    private string OwnAddress() =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Membership heartbeat not sent")]
    private partial void LogHeartbeatFailed(Exception exception);
}
