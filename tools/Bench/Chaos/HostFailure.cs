namespace CloudBus.Bench.Chaos;

/// <summary>One host failure the chaos injected, and when (for the time until its VMs run elsewhere).</summary>
public sealed record HostFailure(string HostId, HostFaultKind Kind, DateTimeOffset At);
