using CloudBus.HostMonitor.Tracing;
using CloudBus.Messages.Routing;
using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>
/// Watches the vm-lifecycle ring: when a VmLifecycle instance leaves it, the VMs it was operating
/// on become orphaned skips instead of being traced again at once (ZStack's split-brain fix).
/// </summary>
public sealed class OperatorRingConsumer(TraceSkipService skips) : IConsumer<RingChanged>
{
    public const string OperatorService = "vm-lifecycle";

    public Task Consume(ConsumeContext<RingChanged> context) =>
        context.Message.Service == OperatorService
            ? skips.OrphanDepartedAsync(context.Message.Members, context.CancellationToken)
            : Task.CompletedTask;
}
