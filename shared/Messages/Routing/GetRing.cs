namespace CloudBus.Messages.Routing;

/// <summary>Asks NodeRegistry for a service's current ring (an instance asks at start). Answered with <see cref="RingChanged"/>.</summary>
public sealed record GetRing
{
    public required string Service { get; init; }
}
