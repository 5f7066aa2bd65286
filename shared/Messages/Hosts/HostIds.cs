using System.Text.RegularExpressions;

namespace CloudBus.Messages.Hosts;

/// <summary>
/// The one rule for host ids (and cluster ids), shared by every service and the agent: 1-63 ASCII
/// letters, digits, '.', '_' or '-'. Short enough for a DNS label, and never a path ("..", "/"),
/// a control character or anything a shell or a URL would treat specially.
/// </summary>
public static partial class HostIds
{
    public const int MaxLength = 63;

    /// <summary>What a valid id looks like, for messages about <paramref name="field"/>.</summary>
    public static string Rule(string field) => $"{field} must be 1-{MaxLength} letters, digits, '.', '_' or '-'.";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id) && id is not ("." or "..");

    [GeneratedRegex("^[A-Za-z0-9._-]{1,63}$")]
    private static partial Regex Pattern();
}
