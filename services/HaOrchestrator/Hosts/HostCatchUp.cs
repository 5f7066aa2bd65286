using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Hosts;

/// <summary>
/// At start, learns every host VmLifecycle has registered, with its last known status, so an
/// orchestrator deployed (or its database restored) after hosts were registered can still find a
/// suspect's BMC and neighbours. Events keep the directory current from then on; this only fills
/// gaps. Asks until VmLifecycle answers.
/// </summary>
public sealed partial class HostCatchUp(HostDirectory directory, IBus bus, TimeProvider clock, ILogger<HostCatchUp> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = bus.CreateRequestClient<GetHosts>(RequestTimeout.After(s: 10));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var answer = await client.GetResponse<RegisteredHosts>(new GetHosts(), stoppingToken);
                foreach (var host in answer.Message.Hosts)
                {
                    await directory.AddAsync(host.Registration, stoppingToken);
                    await directory.SetStatusIfUnknownAsync(host.Registration.HostId, host.Status, stoppingToken);
                }
                LogCaughtUp(answer.Message.Hosts.Count);
                return;
            }
            catch (Exception exception) when (exception is RequestTimeoutException or Npgsql.NpgsqlException)
            {
                LogNotYet(exception.Message);
            }
            await Task.Delay(RetryInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 540, Level = LogLevel.Information, Message = "Caught up on {Count} registered hosts")]
    private partial void LogCaughtUp(int count);

    [LoggerMessage(EventId = 541, Level = LogLevel.Warning, Message = "Could not catch up on registered hosts yet, asking again: {Reason}")]
    private partial void LogNotYet(string reason);
}
