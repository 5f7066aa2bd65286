namespace CloudBus.HostAgent.Api.BackDoor;

/// <summary>Body of <c>POST /hosts/{hostId}/power</c>.</summary>
public sealed record PowerRequest(bool? On);
