namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The tests' PostgreSQL server, restarted for real: every session of every database ends
/// (57P01), connections are refused while it is down, and the server answers again before this
/// returns. In the database container (<see cref="ContainerServers.RestartPostgresAsync"/>: the
/// server restarts inside it, so its address stays), or the native server of ./test.sh when the
/// tests run on native servers. Restarting the server touches every database on it, which is
/// acceptable because test classes run one at a time.
/// </summary>
public static class PostgresServer
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Stops the server (fast shutdown), keeps it down for <paramref name="downFor"/>, starts it and waits until it answers.</summary>
    public static Task RestartAsync(TimeSpan downFor) => ContainerServers.Wanted
        ? ContainerServers.Instance.RestartPostgresAsync(downFor)
        : ShellScripts.RunAsync("servers.sh", "cloudbus_postgres_restart",
            [NativeServers.ServersDirectory, downFor.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)], ScriptTimeout);
}
