using CloudBus.HaOrchestrator.Persistence;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>
/// Records each suspicion as an incident with its evidence. Suspicion alone never restarts
/// anything: investigation and fencing must prove the host dead first.
/// </summary>
public sealed class HostSuspectedConsumer(IncidentStore incidents, TimeProvider clock) : IConsumer<HostSuspected>
{
    public Task Consume(ConsumeContext<HostSuspected> context) =>
        incidents.OpenAsync(context.Message, clock.GetUtcNow(), context.CancellationToken);
}
