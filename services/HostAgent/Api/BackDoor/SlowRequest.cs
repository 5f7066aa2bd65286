namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>Body of <c>POST /hosts/{hostId}/faults/slow</c>.</summary>
public sealed record SlowRequest(int? DelayMs)
{
    /// <summary>Ten minutes: longer than any client would wait, short enough to be a typo guard.</summary>
    public const int MaxDelayMs = 600_000;

    public string? Problem() => DelayMs is null or < 0 or > MaxDelayMs
        ? $"delayMs is required and must be between 0 and {MaxDelayMs}."
        : null;
}
