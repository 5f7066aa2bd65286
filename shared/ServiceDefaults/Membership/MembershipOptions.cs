using System.ComponentModel.DataAnnotations;

namespace CloudBus.ServiceDefaults.Membership;

/// <summary>How often this instance tells NodeRegistry it is alive. Section <c>Membership</c>.</summary>
public sealed class MembershipOptions
{
    public const string Section = "Membership";

    /// <value>Heartbeat interval. Default 2 s (ARCHITECTURE.md section 5).</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "Membership:HeartbeatInterval must be between 50 ms and 5 min.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);
}
