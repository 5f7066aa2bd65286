namespace CloudBus.Cli;

/// <summary>What <c>cloudbus</c>'s exit code means, for scripts.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command could not do what was asked; stderr says why.</summary>
    public const int Failed = 1;
    // System.CommandLine itself answers a malformed command line with 1 and its own message.

    /// <summary>No stack to talk to: no address for a service, or a service did not answer.</summary>
    public const int NoStack = 3;
    /// <summary>What was asked for does not exist (an unknown host, VM or incident id).</summary>
    public const int NotFound = 4;
    /// <summary>The service refused the token: none, expired, or a role that may not do this.</summary>
    public const int Denied = 5;
    /// <summary>Not in this state (an illegal transition) or no room for it (no host can take the VM); stderr says which and why.</summary>
    public const int Refused = 6;
    /// <summary>Asked to wait, and what was waited for did not happen in time (or the VM ended elsewhere).</summary>
    public const int NotReached = 7;
}
