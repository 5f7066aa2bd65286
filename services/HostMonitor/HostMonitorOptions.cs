using System.ComponentModel.DataAnnotations;

namespace CloudBus.HostMonitor;

/// <summary>HostMonitor settings, section <c>HostMonitor</c>. Defaults follow ARCHITECTURE.md section 5.</summary>
public sealed class HostMonitorOptions : IValidatableObject
{
    public const string Section = "HostMonitor";

    /// <value>How often each host is pinged. Default 2 s (CloudStack: 60 s).</value>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <value>How long one ping may take before it counts as missed. Default 1 s; must be below the interval.</value>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <value>
    /// Tries within one ping before it counts as missed. Default 3. A lost packet or a refused
    /// connection is retried at once while the ping timeout lasts, so one flaky request is not a
    /// miss: at 30% random loss a ping is missed 2.7% of the time and three in a row almost never,
    /// while a dead host still misses every ping.
    /// </value>
    [Range(1, 10, ErrorMessage = "HostMonitor:PingAttempts must be between 1 and 10.")]
    public int PingAttempts { get; set; } = 3;

    /// <value>Consecutive missed pings before a host is suspect. Default 3.</value>
    [Range(1, 100, ErrorMessage = "HostMonitor:MissesBeforeSuspect must be between 1 and 100.")]
    public int MissesBeforeSuspect { get; set; } = 3;

    /// <value>Pings and syncs in flight at once. Default 64.</value>
    [Range(1, 4096, ErrorMessage = "HostMonitor:MaxParallelCalls must be between 1 and 4096.")]
    public int MaxParallelCalls { get; set; } = 64;

    /// <value>How often each connected host's VM states are compared with VmLifecycle's. Default 4 s.</value>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <value>How long a VM may be missing from its host's report before it is reported stopped. Default 10 s (CloudStack: about 40 s).</value>
    public TimeSpan MissingGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <value>How long sync keeps leaving a VM alone after the VmLifecycle instance operating on it departed. Default 10 min (ZStack: 10 min).</value>
    public TimeSpan OrphanedSkipTtl { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PingInterval <= TimeSpan.Zero)
            yield return new ValidationResult("HostMonitor:PingInterval must be positive.");
        if (PingTimeout <= TimeSpan.Zero || PingTimeout >= PingInterval)
            yield return new ValidationResult("HostMonitor:PingTimeout must be positive and shorter than HostMonitor:PingInterval.");
        if (SyncInterval <= TimeSpan.Zero)
            yield return new ValidationResult("HostMonitor:SyncInterval must be positive.");
        if (OrphanedSkipTtl <= TimeSpan.Zero)
            yield return new ValidationResult("HostMonitor:OrphanedSkipTtl must be positive.");
        if (MissingGracePeriod < TimeSpan.Zero)
            yield return new ValidationResult("HostMonitor:MissingGracePeriod must not be negative.");
    }
}
