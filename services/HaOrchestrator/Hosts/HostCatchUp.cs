using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;

namespace CloudBus.HaOrchestrator.Hosts;

/// <summary>
/// At start, learns every host VmLifecycle has registered, with its last known status, so an
/// orchestrator deployed (or its database restored) after hosts were registered can still find a
/// suspect's BMC and neighbours. Events keep the directory current from then on; this only fills
/// gaps.
/// </summary>
public sealed partial class HostCatchUp(HostDirectory directory, IBus bus, TimeProvider clock, ILogger<HostCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var answer = await CatchUp.AskUntilAnsweredAsync<GetHosts, RegisteredHosts>(bus, new GetHosts(), clock, logger, stoppingToken);
        foreach (var host in answer.Hosts)
        {
            await directory.AddAsync(host.Registration, stoppingToken);
            await directory.SetStatusIfUnknownAsync(host.Registration.HostId, host.Status, stoppingToken);
        }
        LogCaughtUp(answer.Hosts.Count);
    }

    [LoggerMessage(EventId = 540, Level = LogLevel.Information, Message = "Caught up on {Count} registered hosts")]
    private partial void LogCaughtUp(int count);
}
