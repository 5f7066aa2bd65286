using MassTransit;

namespace CloudBus.HostMonitor.Consumers;

/// <summary>
/// One message at a time: a continue processed before its own skip would leave the VM skipped
/// (until its operator departs and the orphan expires). The publisher sends them in order.
/// </summary>
public sealed class VmTraceConsumerDefinition : ConsumerDefinition<VmTraceConsumer>
{
    public VmTraceConsumerDefinition() => ConcurrentMessageLimit = 1;
}
