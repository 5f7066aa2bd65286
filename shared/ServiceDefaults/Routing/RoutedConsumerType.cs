namespace CloudBus.ServiceDefaults.Routing;

/// <summary>A consumer of routed commands, remembered so a departed instance's queue can be drained with the same consumers.</summary>
public sealed record RoutedConsumerType(Type ConsumerType);
