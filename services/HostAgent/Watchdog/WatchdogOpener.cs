namespace CloudBus.HostAgent.Watchdog;

/// <summary>Opens the watchdog the settings name; a missing or failing one is logged and the host runs without (its heartbeat says so).</summary>
public static partial class WatchdogOpener
{
    /// <summary>Prefix of <c>HostAgent:WatchdogDevice</c> naming the emulator's socket instead of a device.</summary>
    public const string EmulatorPrefix = "unix:";

    public static IWatchdog Open(string device, TimeSpan timeout, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(device))
        {
            LogNone(logger);
            return new NoWatchdog();
        }
        try
        {
            IWatchdog watchdog = device.StartsWith(EmulatorPrefix, StringComparison.Ordinal)
                ? new EmulatedWatchdog(device[EmulatorPrefix.Length..], timeout)
                : new LinuxWatchdog(device, timeout);
            LogArmed(logger, device, timeout);
            return watchdog;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, e, device);
            return new NoWatchdog();
        }
    }

    [LoggerMessage(EventId = 1230, Level = LogLevel.Information, Message = "Watchdog {Device} armed with a timeout of {Timeout}: the host resets if the agent stops writing heartbeats")]
    private static partial void LogArmed(ILogger logger, string device, TimeSpan timeout);

    [LoggerMessage(EventId = 1231, Level = LogLevel.Error, Message = "Watchdog {Device} cannot be opened: this host's self-fence is not backed, so only its BMC can fence it")]
    private static partial void LogFailed(ILogger logger, Exception exception, string device);

    [LoggerMessage(EventId = 1232, Level = LogLevel.Warning, Message = "No watchdog configured (HostAgent:WatchdogDevice is empty): only this host's BMC can fence it")]
    private static partial void LogNone(ILogger logger);
}
