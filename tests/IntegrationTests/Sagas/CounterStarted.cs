namespace CloudBus.IntegrationTests.Sagas;

public sealed record CounterStarted
{
    public required Guid CounterId { get; init; }
    public string? Label { get; init; }
}
