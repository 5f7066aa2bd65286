using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>Keeps each host's status: only connected hosts are asked as neighbours, and suspects count towards the brake.</summary>
public sealed class HostStatusChangedConsumer(HostDirectory hosts) : IConsumer<HostStatusChanged>
{
    public Task Consume(ConsumeContext<HostStatusChanged> context) =>
        hosts.SetStatusAsync(context.Message.HostId, context.Message.To, context.Message.ChangedAt, context.CancellationToken);
}
