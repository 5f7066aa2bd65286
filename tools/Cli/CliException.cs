namespace CloudBus.Cli;

/// <summary>A failure the command reports as one line on stderr and its <see cref="ExitCode"/>, without a stack trace.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
