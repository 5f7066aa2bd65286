using CloudBus.Messages.Hosts;
using CloudBus.VmLifecycle.Persistence;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>Answers a service catching up on hosts registered before it ran: the answer is announced to every instance of it, never replied.</summary>
public sealed class GetHostsConsumer(HostStore hosts) : IConsumer<GetHosts>
{
    public async Task Consume(ConsumeContext<GetHosts> context)
    {
        var all = await hosts.ListAsync(context.CancellationToken);
        await context.Publish(new RegisteredHosts
        {
            Hosts = all.Select(host => new RegisteredHost { Registration = host.ToRegistration(), Status = host.Status }).ToList(),
        });
    }
}
