using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Broker;
using Npgsql;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// What ./up.sh does to give each service its own accounts (scripts/lib/servers.sh,
/// cloudbus_service_accounts), run on ./test.sh's native servers (the ones ./up.sh runs on, not the tests' containers): the broker users get exactly
/// BrokerPermissions, the roles log in with their password files, and running it again changes nothing.
/// </summary>
public sealed class ServiceAccountScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Each_service_gets_a_broker_user_with_its_permissions_and_a_database_role_and_a_second_run_keeps_them()
    {
        var servers = NativeServers.ServersDirectory;
        string[] arguments = [servers, ServiceBinaries.ToolDllOf("Cli", assembly: "cloudbus")];

        await ShellScripts.RunAsync("servers.sh", "cloudbus_service_accounts", arguments, Timeout);
        await ShellScripts.RunAsync("servers.sh", "cloudbus_service_accounts", arguments, Timeout);

        var broker = NativeServers.Broker;
        using var management = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:{broker.ManagementPort}/api/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.Username}:{broker.Password}")));
        foreach (var service in BrokerPermissions.All)
        {
            var granted = await management.GetFromJsonAsync<Permissions>($"permissions/cloudbus/cloudbus-{service.Service}");
            Assert.Equal(new Permissions(service.Configure, service.Write, service.Read), granted);
        }

        foreach (var role in new[] { "cloudbus_node_registry", "cloudbus_host_monitor", "cloudbus_vm_lifecycle", "cloudbus_ha_orchestrator", "cloudbus_migrator" })
        {
            var password = (await File.ReadAllTextAsync(Path.Combine(servers, "accounts", $"{role}.password"))).Trim();
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(NativeServers.PostgresConnectionString)
            {
                Username = role, Password = password, Database = "cloudbus", Pooling = false,
            }.ConnectionString);
            await connection.OpenAsync();
            await using var canCreate = new NpgsqlCommand("SELECT has_database_privilege(current_user, 'cloudbus', 'CREATE')", connection);
            // Only the migration role may create schemas.
            Assert.Equal(role == "cloudbus_migrator", (bool)(await canCreate.ExecuteScalarAsync())!);
        }
    }

    private sealed record Permissions(string Configure, string Write, string Read);
}
