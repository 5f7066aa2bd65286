using CloudBus.HaOrchestrator.Investigation;
using CloudBus.Messages.Ha;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>Runs one investigation round and publishes its verdict. If this instance dies mid-round, the command is redelivered to another.</summary>
public sealed class InvestigateHostConsumer(HostProbe probe) : IConsumer<InvestigateHost>
{
    public async Task Consume(ConsumeContext<InvestigateHost> context) =>
        await context.Publish(await probe.InvestigateAsync(context.Message, context.CancellationToken));
}
