using System.Net;
using System.Net.Sockets;
using CloudBus.Messages.Registry;
using CloudBus.NodeRegistry.Consumers;
using CloudBus.NodeRegistry.Persistence;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CloudBus.UnitTests.NodeRegistry;

/// <summary>
/// Unit-level (MassTransit's in-memory harness, a database that is not there): a heartbeat the
/// database cannot take is dropped, so nothing waits in retries while it is away; a bug still faults.
/// </summary>
public sealed class ServiceInstanceHeartbeatConsumerTests
{
    [Fact]
    public async Task A_heartbeat_the_database_cannot_take_now_is_dropped_without_a_fault()
    {
        // A cluster with no host up: what a restart or a failover looks like to the client.
        await using var cluster = NpgsqlDataSource.Create($"Host=127.0.0.1:{ClosedPort()},127.0.0.1:{ClosedPort()};Username=cloudbus;Target Session Attributes=primary");

        var faults = await ConsumeOneHeartbeatAsync(cluster);

        Assert.False(faults);
    }

    [Fact]
    public async Task A_heartbeat_that_fails_for_another_reason_faults_and_is_not_dropped()
    {
        var disposed = NpgsqlDataSource.Create("Host=127.0.0.1;Username=cloudbus");
        await disposed.DisposeAsync();

        var faults = await ConsumeOneHeartbeatAsync(disposed);

        Assert.True(faults);
    }

    /// <returns>
    /// Whether consuming one heartbeat faulted: read from the consume record itself, which the
    /// harness writes once the consumer has finished, rather than waiting for the published
    /// <c>Fault</c>, which the harness may give up on (its inactivity timer) on a busy machine.
    /// </returns>
    private static async Task<bool> ConsumeOneHeartbeatAsync(NpgsqlDataSource dataSource)
    {
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new MemberStore(dataSource))
            .AddMassTransitTestHarness(bus => bus.AddConsumer<ServiceInstanceHeartbeatConsumer>())
            .BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new ServiceInstanceHeartbeat
        {
            Service = "host-monitor", InstanceId = "host-monitor-1", Address = "http://127.0.0.1:1", StartedAt = DateTimeOffset.UtcNow, SentAt = DateTimeOffset.UtcNow,
        });

        var consumer = harness.GetConsumerHarness<ServiceInstanceHeartbeatConsumer>();
        Assert.True(await consumer.Consumed.Any<ServiceInstanceHeartbeat>());
        return consumer.Consumed.Select<ServiceInstanceHeartbeat>().Single().Exception is not null;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
