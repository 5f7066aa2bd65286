using CloudBus.HostMonitor.Persistence;
using CloudBus.Messages.Vms;
using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>Keeps the VM view that sync compares host reports with.</summary>
public sealed class VmStateChangedConsumer(VmViewStore view) : IConsumer<VmStateChanged>
{
    public Task Consume(ConsumeContext<VmStateChanged> context) => view.ApplyAsync(context.Message, context.CancellationToken);
}
