namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>Body of <c>POST /hosts/{hostId}/faults/flaky</c>.</summary>
public sealed record FlakyRequest(double? FailureRate)
{
    public string? Problem() => FailureRate is >= 0.0 and <= 1.0
        ? null
        : "failureRate is required and must be between 0.0 and 1.0.";
}
