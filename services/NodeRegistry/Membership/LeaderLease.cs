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
        if (await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtextextended('cloudbus.node-registry.leader', 0))"))
            return _connection = connection;
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Gives up leadership (closing the connection releases the lock).</summary>
    public async Task ReleaseAsync()
    {
        if (_connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
