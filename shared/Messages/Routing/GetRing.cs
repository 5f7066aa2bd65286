namespace CloudBus.Messages.Routing;

/// <summary>
/// Asks NodeRegistry to announce a service's current ring (an instance asks at start). Answered by
/// publishing <see cref="RingChanged"/> to every instance of the service, never by a reply.
/// </summary>
public sealed record GetRing
{
    public required string Service { get; init; }
}
