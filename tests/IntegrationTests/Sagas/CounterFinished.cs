namespace CloudBus.IntegrationTests.Sagas;

public sealed record CounterFinished
{
    public required Guid CounterId { get; init; }
}
