using CloudBus.HaOrchestrator.Fencing;
using CloudBus.Messages.Ha;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>Runs the fencing chain and publishes HostFenced or HostFencingFailed. Powering off twice is harmless, so a redelivery is too.</summary>
public sealed class FenceHostConsumer(FencingChain fencing) : IConsumer<FenceHost>
{
    public async Task Consume(ConsumeContext<FenceHost> context)
    {
        var result = await fencing.FenceAsync(context.Message, context.CancellationToken);
        if (result.Fenced is { } fenced)
            await context.Publish(fenced);
        else
            await context.Publish(result.Failed!);
    }
}
