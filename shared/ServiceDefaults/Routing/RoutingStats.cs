namespace CloudBus.ServiceDefaults.Routing;

/// <summary>How many routed commands this instance handled and forwarded (shown at GET /routing).</summary>
public sealed class RoutingStats
{
    private long _handled;
    private long _forwarded;

    public long Handled => Interlocked.Read(ref _handled);
    public long Forwarded => Interlocked.Read(ref _forwarded);

    public void CountHandled() => Interlocked.Increment(ref _handled);
    public void CountForwarded() => Interlocked.Increment(ref _forwarded);
}
