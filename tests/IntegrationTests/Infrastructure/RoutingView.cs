namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>An instance's GET /routing answer.</summary>
public sealed record RoutingView(string Service, string InstanceId, long Epoch, IReadOnlyList<string> Members, long Handled, long Forwarded);
