using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Persistence;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>Answers a service catching up on VMs placed before it ran (HostMonitor's VM view): announced to every instance of it, never replied.</summary>
public sealed class GetVmStatesConsumer(VmStore vms) : IConsumer<GetVmStates>
{
    public async Task Consume(ConsumeContext<GetVmStates> context)
    {
        var placed = (await vms.ListAsync(context.CancellationToken)).Where(vm => vm.HostId is not null);
        await context.Publish(new VmStates
        {
            Vms = placed.Select(vm => new VmStateChanged
            {
                VmId = vm.VmId, From = vm.State, To = vm.State, HostId = vm.HostId, Incarnation = vm.Incarnation,
                Reason = vm.StateReason, ChangedAt = vm.UpdatedAt,
            }).ToList(),
        });
    }
}
