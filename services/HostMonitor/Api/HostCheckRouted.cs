namespace CloudBus.HostMonitor.Api;

/// <summary>What <c>POST /hosts/{hostId}/check</c> answers (202): the instance the check went to, at which ring epoch.</summary>
public sealed record HostCheckRouted(string HostId, string RoutedTo, long Epoch);
