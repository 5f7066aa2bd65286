namespace CloudBus.Messages.Registry;

/// <summary>A service instance is alive. Sent on an interval by every instance of every service.</summary>
public sealed record ServiceInstanceHeartbeat
{
    public required string Service { get; init; }
    public required string InstanceId { get; init; }
    /// <summary>The instance's HTTP base address, for operators and for routing by address.</summary>
    public required string Address { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}
