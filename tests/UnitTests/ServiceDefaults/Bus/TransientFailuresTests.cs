using System.Net;
using System.Net.Sockets;
using CloudBus.ServiceDefaults.Bus;
using Npgsql;

namespace CloudBus.UnitTests.ServiceDefaults.Bus;

/// <summary>
/// What a failover looks like to the client, error by error: each must be retried long enough to
/// outlast it, while a real mistake is not.
/// </summary>
public sealed class TransientFailuresTests
{
    [Theory]
    [InlineData("57P01", "terminating connection due to administrator command")] // the primary shuts down (restart, switchover)
    [InlineData("57P02", "terminating connection because of crash of another server process")]
    [InlineData("57P03", "the database system is starting up")]
    [InlineData("55000", "database \"cloudbus\" is not currently accepting connections")]
    [InlineData("25006", "cannot execute INSERT in a read-only transaction")] // a demoted primary, or a standby not promoted yet
    [InlineData("40001", "could not serialize access due to concurrent update")]
    public void A_server_that_says_not_now_is_a_transient_failure(string sqlState, string message) =>
        Assert.True(TransientFailures.IsTransient(Postgres(sqlState, message)), sqlState);

    [Theory]
    [InlineData("42P01", "relation \"no_such_table\" does not exist")]
    [InlineData("23505", "duplicate key value violates unique constraint")]
    [InlineData("28P01", "password authentication failed for user \"cloudbus\"")]
    public void A_server_that_says_never_is_not_transient(string sqlState, string message) =>
        Assert.False(TransientFailures.IsTransient(Postgres(sqlState, message)), sqlState);

    [Fact]
    public void A_connection_reset_mid_statement_is_a_transient_failure() =>
        Assert.True(TransientFailures.IsTransient(
            new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset)))));

    [Fact]
    public void A_commit_on_a_session_the_server_ended_is_a_transient_failure() =>
        // What NpgsqlTransaction.CommitAsync throws once the session died under it.
        Assert.True(TransientFailures.IsTransient(
            new ObjectDisposedException("NpgsqlTransaction", Postgres("57P01", "terminating connection due to administrator command"))));

    [Fact]
    public async Task A_cluster_with_no_host_up_is_a_transient_failure_while_it_fails_over()
    {
        // Two hosts, neither listening: what the client sees while no primary exists. The first
        // open tries each host ("Unable to connect to a suitable host", one inner failure per
        // host); then both are known to be down and an open fails at once ("No suitable host was found").
        await using var cluster = new NpgsqlDataSourceBuilder(
            $"Host=127.0.0.1:{ClosedPort()},127.0.0.1:{ClosedPort()};Username=cloudbus;Target Session Attributes=primary;Timeout=2").Build();

        var tried = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await cluster.OpenConnectionAsync());
        var skipped = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await cluster.OpenConnectionAsync());

        Assert.IsType<AggregateException>(tried.InnerException);
        Assert.True(TransientFailures.IsTransient(tried), tried.Message);
        Assert.Equal("No suitable host was found.", skipped.Message);
        Assert.True(TransientFailures.IsTransient(skipped), skipped.Message);
    }

    [Fact]
    public void Several_hosts_of_which_one_refuses_for_good_is_not_transient() =>
        Assert.False(TransientFailures.IsTransient(new NpgsqlException("Unable to connect to a suitable host. Check inner exception for more details.",
            new AggregateException(
                new NpgsqlException("Failed to connect to 127.0.0.1:5433", new SocketException((int)SocketError.ConnectionRefused)),
                Postgres("28P01", "password authentication failed for user \"cloudbus\"")))));

    [Fact]
    public void A_client_side_mistake_is_not_transient()
    {
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException("Connection is not open")));
        Assert.False(TransientFailures.IsTransient(new NpgsqlException("No password has been provided but the backend requires one (in SASL/SCRAM-SHA-256)")));
    }

    private static PostgresException Postgres(string sqlState, string message) => new(message, "FATAL", "FATAL", sqlState);

    /// <summary>A loopback port nothing listens on (taken from the OS and released at once).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
