using System.ComponentModel.DataAnnotations;

namespace CloudBus.AgentClient;

/// <summary>How the control plane's services connect to host agents (section <c>AgentClient</c>).</summary>
public sealed class AgentClientOptions
{
    public const string Section = "AgentClient";

    /// <value>
    /// How long one address may take to accept a connection before the next address of the host is
    /// tried. Default 400 ms: a management LAN connects in well under a millisecond, and a ping
    /// (1 s by default) must leave time for a second address after a first that drops packets.
    /// </value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30", ErrorMessage = "AgentClient:ConnectTimeout must be between 50 ms and 30 s.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <value>
    /// The largest answer read from an agent (default 4 MiB: a host's VM list with devices is a
    /// few hundred bytes per VM). A larger one fails the call, as no answer would.
    /// </value>
    [Range(64 * 1024, 256 * 1024 * 1024, ErrorMessage = "AgentClient:MaxAnswerBytes must be between 65536 and 268435456.")]
    public int MaxAnswerBytes { get; set; } = 4 * 1024 * 1024;
}
