namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The one PostgreSQL server every test uses (started by ./test.sh), restarted for real: every
/// session of every database ends (57P01), connections are refused while it is down, and the
/// server answers again before this returns. Restarting it touches every test's database, which
/// is acceptable because test classes run one at a time.
/// </summary>
public static class PostgresServer
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Stops the server (fast shutdown), keeps it down for <paramref name="downFor"/>, starts it and waits until it answers.</summary>
    public static Task RestartAsync(TimeSpan downFor) =>
        ShellScripts.RunAsync("servers.sh", "cloudbus_postgres_restart",
            [TestServers.ServersDirectory, downFor.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)], ScriptTimeout);
}
