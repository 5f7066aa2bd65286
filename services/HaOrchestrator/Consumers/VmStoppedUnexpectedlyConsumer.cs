using CloudBus.Messages.Ha;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>
/// A NeverStop VM that stopped unexpectedly on a live host is to be restarted: its host reported
/// it not running, so starting it again cannot make two copies. Other HA levels restart only when
/// their host fails.
/// </summary>
public sealed partial class VmStoppedUnexpectedlyConsumer(
    UnitsOfWork units, RestartStore restarts, RestartSignal signal, ILogger<VmStoppedUnexpectedlyConsumer> logger)
    : IConsumer<VmStoppedUnexpectedly>
{
    public async Task Consume(ConsumeContext<VmStoppedUnexpectedly> context)
    {
        var stopped = context.Message;
        if (stopped.HaLevel != VmHaLevel.NeverStop) return;
        await using var work = await units.BeginAsync(context.CancellationToken);
        var added = await restarts.RequestAsync(work, [new RestartRequest(stopped.VmId, stopped.Incarnation, stopped.HostId,
            $"stopped unexpectedly on live host {stopped.HostId}", stopped.RestartPriority, stopped.StoppedAt, IncidentId: null)]);
        await work.CommitAsync(context.CancellationToken);
        foreach (var (request, status) in added)
            LogRestartRequested(request.VmId, request.Incarnation, request.HostId, status);
        signal.Notify();
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "VM {VmId} (incarnation {Incarnation}) stopped unexpectedly on {HostId}: restart {Status}")]
    private partial void LogRestartRequested(Guid vmId, long incarnation, string hostId, RestartStatus status);
}
