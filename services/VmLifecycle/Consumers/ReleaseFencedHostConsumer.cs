using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Operations;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>
/// HA's command after it proved a host fenced: the VMs on it are released
/// (<see cref="FencedHostRelease"/>). Answered by the <see cref="FencedHostReleased"/> event, which
/// commits with the release; never replied.
/// </summary>
public sealed class ReleaseFencedHostConsumer(FencedHostRelease release) : IConsumer<ReleaseFencedHost>
{
    public Task Consume(ConsumeContext<ReleaseFencedHost> context) => release.ReleaseAsync(context.Message, context.CancellationToken);
}
