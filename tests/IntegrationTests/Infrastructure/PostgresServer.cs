namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The native PostgreSQL server of ./test.sh, restarted for real: every session of every database
/// ends (57P01), connections are refused while it is down, and the server answers again before
/// this returns. Tests that restart it keep their database there (<see cref="PrivateServers.WithRestartableDatabaseAsync"/>,
/// <see cref="TestDatabase.CreateRestartableAsync"/>) rather than in the database container: a
/// container stopped and started again comes back on a new address behind its published port, and
/// in about half of the runs tried the services of a test did not get back to it (a timer never
/// published, a VM never started; each of those tests passed when run alone). Restarting the server
/// touches every database on it, which is acceptable because test classes run one at a time.
/// </summary>
public static class PostgresServer
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Stops the server (fast shutdown), keeps it down for <paramref name="downFor"/>, starts it and waits until it answers.</summary>
    public static Task RestartAsync(TimeSpan downFor) =>
        ShellScripts.RunAsync("servers.sh", "cloudbus_postgres_restart",
            [NativeServers.ServersDirectory, downFor.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)], ScriptTimeout);
}
