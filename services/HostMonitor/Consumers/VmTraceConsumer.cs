using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Vms;
using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>Records skip-trace and continue-trace announcements, one row per operation, in whatever order they arrive.</summary>
public sealed class VmTraceConsumer(TraceSkipStore skips) : IConsumer<VmTraceSkipped>, IConsumer<VmTraceContinued>
{
    public Task Consume(ConsumeContext<VmTraceSkipped> context) => skips.SkipAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<VmTraceContinued> context) => skips.ContinueAsync(context.Message, context.CancellationToken);
}
