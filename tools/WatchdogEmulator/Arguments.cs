namespace CloudBus.WatchdogEmulator;

public sealed record Arguments(string Socket, string ResetCommand)
{
    /// <returns>Null when either option is missing or empty.</returns>
    public static Arguments? Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return (Value("--socket"), Value("--reset")) is ({ Length: > 0 } socket, { Length: > 0 } reset) ? new Arguments(socket, reset) : null;
    }
}
