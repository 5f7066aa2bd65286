namespace CloudBus.IntegrationTests.Sagas;

public sealed record CounterIncremented
{
    public required Guid CounterId { get; init; }
}
