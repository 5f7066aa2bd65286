using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>
/// The end of a start VmLifecycle ran: if it was a restart's current attempt, the restart records
/// it (running, tried again later, or failed with an alert). The instances share this queue, so
/// the end is recorded whether or not the instance that asked for the start still lives.
/// </summary>
public sealed partial class RestartAttemptCompletedConsumer(
    UnitsOfWork units, RestartStore restarts, RestartSignal signal, ILogger<RestartAttemptCompletedConsumer> logger)
    : IConsumer<VmCommandCompleted>
{
    public async Task Consume(ConsumeContext<VmCommandCompleted> context)
    {
        var completed = context.Message;
        if (completed.Operation != VmOperationKind.Start) return;
        await using var work = await units.BeginAsync(context.CancellationToken);
        if (await restarts.CompleteAttemptAsync(work, completed.OperationId, StartAttempt.From(completed)) is not var (restart, step)) return;
        await work.CommitAsync(context.CancellationToken);
        // A slot is free, or a retry is due later: the dispatcher looks again.
        signal.Notify();

        switch (step.Status)
        {
            case RestartStatus.Running:
                LogRestarted(restart.VmId, step.RunningOn, restart.CountedAttempts);
                break;
            case RestartStatus.Failed:
                LogGaveUp(restart.VmId, step.Message);
                break;
            default:
                LogNotYet(restart.VmId, step.Status, step.Message);
                break;
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "VM {VmId} restarted on {HostId} (attempt {Attempt})")]
    private partial void LogRestarted(Guid vmId, string? hostId, int attempt);

    [LoggerMessage(EventId = 531, Level = LogLevel.Warning, Message = "VM {VmId} restart {Status}: {Why}")]
    private partial void LogNotYet(Guid vmId, RestartStatus status, string why);

    [LoggerMessage(EventId = 536, Level = LogLevel.Error, Message = "VM {VmId} not restarted: {Why}")]
    private partial void LogGaveUp(Guid vmId, string why);
}
