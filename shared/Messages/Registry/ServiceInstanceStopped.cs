namespace CloudBus.Messages.Registry;

/// <summary>A service instance is shutting down cleanly and leaves membership at once.</summary>
public sealed record ServiceInstanceStopped
{
    public required string Service { get; init; }
    public required string InstanceId { get; init; }
    public required DateTimeOffset StoppedAt { get; init; }
}
