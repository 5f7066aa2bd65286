using Npgsql;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>
/// The connection string a service really uses, completed from the one configured. A string that
/// names several hosts (<c>Host=db1:5432,db2:5432,db3:5432</c>) is a failover cluster: Npgsql's
/// <see cref="NpgsqlDataSourceBuilder.Build"/> then returns a multi-host data source, which opens
/// each connection on the first listed host whose role (primary, standby, down) it last saw fit the
/// connection string's <c>Target Session Attributes</c>, and trusts what it saw for
/// <c>Host Recheck Seconds</c>. Every service writes (outbox, sagas, heartbeats, leases), so:
/// <list type="bullet">
/// <item>With no <c>Target Session Attributes</c>, Npgsql would take any host, a standby included,
/// and every write there fails: the default here is <c>primary</c>. Asking for anything that
/// may be a standby (<c>any</c>, <c>standby</c>, <c>prefer-primary</c>, ...) is refused at start.</item>
/// <item>With no <c>Host Recheck Seconds</c>, Npgsql keeps a host it saw fail (a restart, the old
/// primary) off its list for 10 s after it is back, and a host it saw as the primary on its list
/// for 10 s after it was demoted: the default here is <see cref="DefaultHostRecheckSeconds"/>.</item>
/// </list>
/// A single host is used as given (a virtual IP or proxy in front of a cluster is one host).
/// </summary>
public static class FailoverConnectionString
{
    /// <summary>How long a cluster host's role is trusted when the connection string does not say.</summary>
    public const int DefaultHostRecheckSeconds = 2;

    private static readonly string[] WritableSessions = ["primary", "read-write"];

    /// <returns>What is wrong with the configured connection string, each naming the setting; empty when it is usable.</returns>
    public static IEnumerable<string> Problems(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return [$"Postgres:ConnectionString is not a valid Npgsql connection string (env Postgres__ConnectionString): {exception.Message}"];
        }

        var attributes = builder.TargetSessionAttributes;
        if (IsCluster(builder))
            return attributes is null || WritableSessions.Contains(attributes)
                ? []
                : [$"Postgres:ConnectionString names several hosts with Target Session Attributes={attributes}, which may pick a standby where every " +
                   "write fails: use primary, or leave it out (primary is the default) (env Postgres__ConnectionString)."];
        return attributes is null or "any"
            ? []
            : [$"Postgres:ConnectionString sets Target Session Attributes={attributes} for a single host; it only applies to several hosts " +
               "(Host=db1:5432,db2:5432): list the cluster's hosts, or leave it out (env Postgres__ConnectionString)."];
    }

    /// <summary>The connection string to build the data source from: the configured one (valid, see <see cref="Problems"/>) with the cluster defaults filled in.</summary>
    public static string Complete(string connectionString, string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = applicationName };
        if (IsCluster(builder))
        {
            builder.TargetSessionAttributes ??= "primary";
            // The builder lists only the keys the string gave, under their canonical names.
            if (!builder.Keys.Cast<string>().Contains("Host Recheck Seconds")) builder.HostRecheckSeconds = DefaultHostRecheckSeconds;
        }
        return builder.ConnectionString;
    }

    private static bool IsCluster(NpgsqlConnectionStringBuilder builder) => builder.Host?.Contains(',', StringComparison.Ordinal) == true;
}
