namespace CloudBus.Cli;

/// <summary>What <c>cloudbus</c>'s exit code means, for scripts.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command could not do what was asked; stderr says why.</summary>
    public const int Failed = 1;
    // System.CommandLine itself answers a malformed command line with 1 and its own message.
}
