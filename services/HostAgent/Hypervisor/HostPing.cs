namespace CloudBus.HostAgent.Hypervisor;

/// <summary>A ping answer. <see cref="BootId"/> changes on every power-on, so a caller can tell a reboot.</summary>
public sealed record HostPing(string HostId, Guid BootId, DateTimeOffset At);
