using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Broker;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// The whole control plane with one broker user and one database role per service, each allowed
/// only its own: a host failure is still handled end to end, and a service's account cannot reach
/// into another service's queues or tables.
/// </summary>
public sealed class LeastPrivilegeTests(LeastPrivilegeHaStack stack) : IClassFixture<LeastPrivilegeHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] ServicesWithDatabases = ["NodeRegistry", "HostMonitor", "VmLifecycle", "HaOrchestrator"];

    [Fact]
    public async Task A_failed_hosts_vm_is_restarted_elsewhere_with_every_service_on_its_own_accounts()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "least-privilege", "host-1", "OnHostFailure");

        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-off", new { });

        var restarted = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v is { State: "Running" } && v.HostId != "host-1", Timeout, "the VM to run on another host");
        Assert.Equal(2, restarted.Incarnation);
        var incident = await Eventually.ReturnsAsync(async () =>
            {
                var listed = await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, "incidents?hostId=host-1");
                return await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed[0].IncidentId}");
            }, i => i.Status == IncidentStatus.Restarted, Timeout, "the incident to end restarted");
        Assert.Contains(incident.Timeline, s => s.Step == "Fenced");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
        // Nothing was refused on the way: no service parked a message it could not handle.
        Assert.Empty(await stack.Servers.VirtualHost.ParkedMessagesAsync());
        // And the services really were on their own accounts.
        var vhost = stack.Servers.VirtualHost.Name;
        Assert.Equal(BrokerPermissions.All.Select(p => $"{vhost}-{p.Service}").ToHashSet(), await stack.Servers.VirtualHost.ConnectionUsersAsync());
        Assert.Equal(ServicesWithDatabases.Select(stack.Roles.RoleOf).ToHashSet(), await DatabaseUsersAsync());
        await stack.PostAsync<object>(stack.BackDoor, "hosts/host-1/faults/power-on", new { });
    }

    private async Task<HashSet<string>> DatabaseUsersAsync()
    {
        await using var admin = new NpgsqlConnection(TestServers.PostgresConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = @name", admin);
        command.Parameters.AddWithValue("name", stack.Servers.Database.Name);
        var users = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) users.Add(reader.GetString(0));
        return users;
    }

    [Fact]
    public async Task A_services_broker_user_cannot_send_to_another_services_queue_but_may_use_its_own()
    {
        await using var connection = await stack.Servers.VirtualHost.ConnectAsServiceAsync("host-monitor");

        // Its own exchanges: declared and published to.
        await using (var own = await connection.CreateChannelAsync())
        {
            await own.ExchangeDeclareAsync("host-monitor-probe", ExchangeType.Fanout, durable: false, autoDelete: true);
            await own.BasicPublishAsync("host-monitor-probe", "", "probe"u8.ToArray());
            await own.ExchangeDeleteAsync("host-monitor-probe");
        }

        // VmLifecycle's command exchange, a command's type exchange, and the default exchange to its queue: all refused.
        foreach (var (exchange, routingKey) in new[]
                 {
                     (VmCommands.QueueName, ""), ("CloudBus.Messages.Vms:StartVm", ""), ("", VmCommands.QueueName),
                 })
        {
            var refused = await Assert.ThrowsAnyAsync<OperationInterruptedException>(async () =>
            {
                await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                    publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
                await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, new BasicProperties(), "forged start"u8.ToArray());
                await channel.CloseAsync(); // a refusal closes the channel before this returns
            });
            Assert.Equal((ushort)403, refused.ShutdownReason?.ReplyCode ?? 0);
        }
    }

    [Fact]
    public async Task A_services_database_role_reads_and_writes_its_own_rows_only_and_changes_no_schema()
    {
        var database = stack.Servers.Database.ConnectionString;
        await using var hostMonitor = stack.Roles.ConnectAs("HostMonitor", database);
        await hostMonitor.OpenAsync();

        await using (var own = new NpgsqlCommand("SELECT count(*) FROM host_monitor.hosts", hostMonitor))
            Assert.True((long)(await own.ExecuteScalarAsync())! >= 0);
        foreach (var forbidden in new[]
                 {
                     "SELECT count(*) FROM vm_lifecycle.vms", "UPDATE ha_orchestrator.incidents SET status = 'Restarted'",
                     "CREATE TABLE host_monitor.probe (x int)", "DROP TABLE host_monitor.hosts",
                 })
        {
            await using var command = new NpgsqlCommand(forbidden, hostMonitor);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{forbidden}: {refused.SqlState} {refused.MessageText}");
        }
    }
}
