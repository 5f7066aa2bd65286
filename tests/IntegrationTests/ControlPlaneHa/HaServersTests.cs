using System.Diagnostics;
using System.Globalization;
using System.Text;
using CloudBus.IntegrationTests.Infrastructure;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.ControlPlaneHa;

/// <summary>
/// The HA servers give real clients what the control plane's own HA relies on: a client that knows
/// every broker node loses no confirmed message when its node dies and publishes again on another;
/// writes through the multi-host connection string reach the new PostgreSQL primary after the old
/// one is lost, with every committed row; lost nodes rejoin.
/// </summary>
[Collection(SharedHaServers.Name)]
public sealed class HaServersTests(HaServers servers, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public async Task InitializeAsync()
    {
        output.WriteLine($"HA servers started from nothing in {servers.StartDuration.TotalSeconds:0.0} s ({servers.Directory})");
        await servers.EnsureAllRunningAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_client_knowing_every_broker_node_publishes_again_after_its_node_is_killed_and_loses_no_confirmed_message()
    {
        await using var vhost = await servers.CreateVirtualHostAsync();
        // No automatic recovery: like MassTransit, the publisher opens a new connection itself.
        // RabbitMQ.Client 7.2's own recovery can leave confirmed publishing hung for good
        // (rabbitmq-dotnet-client#1930), which is what this test once measured instead.
        var factory = new ConnectionFactory
        {
            UserName = servers.RabbitUser,
            Password = servers.RabbitPassword,
            VirtualHost = vhost.Name,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        var endpoints = servers.RabbitPorts.Select(port => new AmqpTcpEndpoint(servers.RabbitHost, port)).ToList();
        await using var publisher = await ConfirmedPublisher.ConnectAsync(factory, endpoints);
        const string queue = "ha-servers-quorum";
        await publisher.Channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await Eventually.ReturnsAsync(() => vhost.QuorumMembersAsync(queue), q => q.Online.Count == 3, Timeout,
            "the quorum queue to have a member online on each of the three nodes");

        var confirmed = new List<int>();
        var next = 0;
        for (; next < 50; next++) confirmed.Add(await PublishAsync(publisher.Channel, queue, next));

        var killed = servers.RabbitNodeListeningOn(publisher.Port);
        await servers.KillRabbitNodeAsync(killed);
        var sinceKill = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () =>
        {
            var id = next++;
            if (await TryPublishAsync(publisher.Channel, queue, id))
            {
                confirmed.Add(id);
                return true;
            }
            await publisher.TryReconnectAsync();
            return false;
        }, Timeout, $"a confirmed publish after broker node {killed} was killed");
        var now = servers.RabbitNodeListeningOn(publisher.Port);
        output.WriteLine($"broker node {killed} killed: publishing again (confirmed) after {sinceKill.Elapsed.TotalSeconds:0.0} s, on node {now}");
        Assert.NotEqual(killed, now);
        for (var i = 0; i < 50; i++, next++) confirmed.Add(await PublishAsync(publisher.Channel, queue, next));

        var received = await DrainAsync(publisher.Channel, queue);
        Assert.Empty(confirmed.Except(received));

        var restart = Stopwatch.StartNew();
        await servers.StartRabbitNodeAsync(killed);
        output.WriteLine($"broker node {killed} back in the cluster {restart.Elapsed.TotalSeconds:0.0} s after its start");
        await Eventually.ReturnsAsync(() => vhost.QuorumMembersAsync(queue), q => q.Online.Count == 3, Timeout,
            $"the quorum queue's member on node {killed} to be online again");
    }

    [Fact]
    public async Task Writes_reach_the_new_primary_after_the_primary_is_killed_with_every_committed_row_and_the_old_primary_rejoins_as_a_replica()
    {
        await using var database = await servers.CreateDatabaseAsync();
        await ExecuteAsync(database.DataSource, "CREATE TABLE notes (text text PRIMARY KEY)");
        await ExecuteAsync(database.DataSource, "INSERT INTO notes VALUES ('before the kill')");

        var killed = await servers.PostgresPrimaryAsync();
        await servers.KillPostgresNodeAsync(killed);
        var sinceKill = Stopwatch.StartNew();
        await Eventually.HoldsAsync(() => TryExecuteAsync(database.DataSource, "INSERT INTO notes VALUES ('after the kill') ON CONFLICT DO NOTHING"),
            Timeout, $"a write on a new primary after PostgreSQL node {killed} was killed");
        output.WriteLine($"PostgreSQL primary (node {killed}) killed: writes succeed again after {sinceKill.Elapsed.TotalSeconds:0.0} s");
        Assert.NotEqual(killed, await servers.PostgresPrimaryAsync());
        Assert.Equal(["after the kill", "before the kill"], await NotesAsync(database.DataSource));

        var restart = Stopwatch.StartNew();
        await servers.StartPostgresNodeAsync(killed);
        output.WriteLine($"PostgreSQL node {killed} is the synchronous replica {restart.Elapsed.TotalSeconds:0.0} s after its start");
        // Straight to the old primary, which must now be a standby holding what the new primary took.
        var onRejoined = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = servers.PostgresPorts[killed - 1],
            // Npgsql refuses "standby" for a single host: the role is checked below instead.
            TargetSessionAttributes = "any",
        };
        await using var rejoined = NpgsqlDataSource.Create(onRejoined.ConnectionString);
        await using (var inRecovery = rejoined.CreateCommand("SELECT pg_is_in_recovery()"))
            Assert.True((bool)(await inRecovery.ExecuteScalarAsync())!, $"node {killed} should be a standby");
        var notes = await Eventually.ReturnsAsync(() => NotesAsync(rejoined), n => n.Contains("after the kill"), Timeout,
            $"node {killed} to hold the row written after it was killed");
        Assert.Contains("before the kill", notes);
    }

    private static async Task<int> PublishAsync(IChannel channel, string queue, int id) =>
        await TryPublishAsync(channel, queue, id) ? id : throw new InvalidOperationException($"message {id} was not confirmed");

    // Succeeds when the broker confirmed the message; false when the connection is down or
    // recovering, or the broker refused it (the message may or may not have been queued).
    private static async Task<bool> TryPublishAsync(IChannel channel, string queue, int id)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true },
                Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture)), deadline.Token);
            return true;
        }
        catch (Exception exception) when (exception is RabbitMQClientException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private static async Task<HashSet<int>> DrainAsync(IChannel channel, string queue)
    {
        var received = new HashSet<int>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            received.Add(int.Parse(Encoding.UTF8.GetString(message.Body.Span), CultureInfo.InvariantCulture));
        return received;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<bool> TryExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        try
        {
            await ExecuteAsync(dataSource, sql);
            return true;
        }
        catch (NpgsqlException)
        {
            // The primary is gone and no new one is promoted yet ("No suitable host was found").
            return false;
        }
    }

    private static async Task<List<string>> NotesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT text FROM notes ORDER BY text");
        await using var reader = await command.ExecuteReaderAsync();
        var notes = new List<string>();
        while (await reader.ReadAsync()) notes.Add(reader.GetString(0));
        return notes;
    }
}
