using CloudBus.Messages.Broker;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// <see cref="HaStack"/> with least privilege, as the README tells operators to set it up: each
/// service its own broker user limited to its queues and the exchanges it uses
/// (<see cref="BrokerPermissions"/>), and its own database role that only reads and writes the rows
/// of its schema, which a migration role of its own owns.
/// </summary>
public sealed class LeastPrivilegeHaStack() : HaStack(fleetSize: 4)
{
    private readonly Dictionary<string, IReadOnlyList<(string Key, string Value)>> _brokerUsers = [];

    public DatabaseRoles Roles { get; private set; } = null!;

    protected override async Task<PrivateServers> CreateServersAsync()
    {
        var servers = await PrivateServers.CreateAsync();
        foreach (var permissions in BrokerPermissions.All)
            _brokerUsers[permissions.Service] = await servers.VirtualHost.CreateServiceUserAsync(permissions);
        Roles = await DatabaseRoles.CreateAsync(TestServers.PostgresConnectionString, servers.Database.Name);
        return servers;
    }

    protected override IEnumerable<(string Key, string Value)> AccountOf(string project)
    {
        if (BrokerPermissions.Of(project) is not { } permissions) return []; // the agent uses no broker
        return [.. _brokerUsers[permissions.Service], .. Roles.SettingsFor(project, TestDatabase.ForServices(Servers.Database.ConnectionString))];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Roles is not null) await Roles.DisposeAsync();
    }
}
