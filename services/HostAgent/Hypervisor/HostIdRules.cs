namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// What a host id may look like. Host ids become file names on shared storage
/// (<c>&lt;hostId&gt;.heartbeat</c>), so anything that could escape the heartbeat folder is refused.
/// </summary>
public static class HostIdRules
{
    public const int MaxLength = 64;

    public static bool IsValid(string? hostId) =>
        !string.IsNullOrEmpty(hostId)
        && hostId.Length <= MaxLength
        && hostId[0] != '.'
        && hostId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static string Describe(string? hostId) =>
        $"Host id '{hostId}' is not valid: use 1-{MaxLength} ASCII letters, digits, '-', '_' or '.', not starting with '.'.";
}
