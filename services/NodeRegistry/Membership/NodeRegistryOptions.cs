using System.ComponentModel.DataAnnotations;

namespace CloudBus.NodeRegistry.Membership;

/// <summary>NodeRegistry settings, section <c>NodeRegistry</c>.</summary>
public sealed class NodeRegistryOptions
{
    public const string Section = "NodeRegistry";

    /// <value>How often the leader evaluates membership (and a follower tries to become leader). Default 2 s, the heartbeat interval.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "NodeRegistry:EvaluationInterval must be between 50 ms and 5 min.")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <value>Consecutive rounds without a heartbeat before an instance is removed. Default 2 (ZStack's fix: never on the first miss).</value>
    [Range(1, 100, ErrorMessage = "NodeRegistry:MissingRoundsBeforeRemoval must be between 1 and 100.")]
    public int MissingRoundsBeforeRemoval { get; set; } = 2;

    /// <value>Every this many rounds the leader repeats every ring, so an instance that missed a change catches up. Default 5.</value>
    [Range(1, 10_000, ErrorMessage = "NodeRegistry:RepublishEveryRounds must be between 1 and 10000.")]
    public int RepublishEveryRounds { get; set; } = 5;
}
