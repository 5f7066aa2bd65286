using CloudBus.HaOrchestrator.Incidents;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Consumers;

/// <summary>
/// A host answers pings again: every investigation of it still open hears so (each suspicion has
/// an investigation of its own, so the host id alone does not name one). One that has not begun
/// fencing ends; one fencing runs to its end.
/// </summary>
public sealed class HostRecoveredConsumer(IncidentStore incidents) : IConsumer<HostRecovered>
{
    public async Task Consume(ConsumeContext<HostRecovered> context)
    {
        var recovered = context.Message;
        foreach (var investigationId in await incidents.OpenForHostAsync(recovered.HostId, recovered.RecoveredAt, context.CancellationToken))
            await context.Publish(new SuspectRecovered { InvestigationId = investigationId, HostId = recovered.HostId, RecoveredAt = recovered.RecoveredAt });
    }
}
