using Dapper;
using Npgsql;

namespace CloudBus.NodeRegistry.Membership;

/// <summary>
/// Leadership among NodeRegistry replicas: a session-level Postgres advisory lock held on one
/// dedicated connection. The lock lives exactly as long as that connection, so a leader that
/// dies (or loses its database connection) releases it and another replica takes over at its next
/// attempt, within one evaluation interval. The leader does its writes on the same connection, so
/// a replica that lost the lock cannot write as leader.
/// </summary>
public sealed class LeaderLease(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private const string LockKey = "hashtextextended('cloudbus.node-registry.leader', 0)";
    private NpgsqlConnection? _connection;

    /// <returns>The connection holding the lock, or null while another replica leads.</returns>
    public async Task<NpgsqlConnection?> AcquireOrKeepAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            try
            {
                await _connection.ExecuteAsync("SELECT 1");
                return _connection;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                await ReleaseAsync();
            }
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The server must notice a leader that vanished without closing its connection (a network
        // partition): TCP keepalives on this session let it drop the connection, and so the lock,
        // within about 10 + 3 x 5 = 25 s instead of the operating system's default two hours.
        await connection.ExecuteAsync("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3");
        if (await connection.ExecuteScalarAsync<bool>($"SELECT pg_try_advisory_lock({LockKey})"))
            return _connection = connection;
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// Gives up leadership. Closing the connection is not enough: it goes back to the pool with
    /// its session, and so with the lock, until the pool reuses or prunes it, and meanwhile no
    /// other replica could lead. A session the database already ended took the lock with it.
    /// </summary>
    public async Task ReleaseAsync()
    {
        if (_connection is null) return;
        try
        {
            await _connection.ExecuteAsync($"SELECT pg_advisory_unlock({LockKey})");
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and its lock with it.
        }
        await _connection.DisposeAsync();
        _connection = null;
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
