namespace CloudBus.ServiceDefaults.Routing;

/// <summary>What <c>GET /routing</c> answers: the ring this instance routes by, and its counts since it started.</summary>
public sealed record RoutingReport(string Service, string InstanceId, long Epoch, IReadOnlyList<string> Members, long Handled, long Forwarded);
