using Npgsql;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Least privilege on a test database, as an operator sets it up: a migration role that may create
/// schemas (and so owns each service's), and one login role per service that only gets the rows of
/// its own schema from its migrations. Role names carry a random prefix (roles are server-wide).
/// </summary>
public sealed class DatabaseRoles : IAsyncDisposable
{
    private static readonly string[] Services = ["NodeRegistry", "HostMonitor", "VmLifecycle", "HaOrchestrator"];
    private readonly string _server;
    private readonly string _prefix = "cbt_" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, (string Role, string PasswordFile)> _roles = [];

    private DatabaseRoles(string serverConnectionString) => _server = serverConnectionString;

    public string MigrationRole => _prefix + "_migrator";

    /// <summary>The login role of <paramref name="project"/> (for example "HostMonitor").</summary>
    public string RoleOf(string project) => _roles[Snake(project)].Role;

    public static async Task<DatabaseRoles> CreateAsync(string serverConnectionString, string databaseName)
    {
        var roles = new DatabaseRoles(serverConnectionString);
        var statements = new List<string>();
        foreach (var name in Services.Select(Snake).Prepend("migrator"))
        {
            var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
            var role = $"{roles._prefix}_{name}";
            roles._roles[name] = (role, TestSecrets.NewFile(password));
            statements.Add($"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
        }
        statements.Add($"GRANT CREATE ON DATABASE {databaseName} TO {roles.MigrationRole}");
        await roles.ExecuteAsync(statements);
        return roles;
    }

    /// <summary>What a service of <paramref name="project"/> is given: its own login, and the migration role for its migrations.</summary>
    public IEnumerable<(string Key, string Value)> SettingsFor(string project, string connectionString)
    {
        if (!_roles.TryGetValue(Snake(project), out var own)) yield break; // the agent has no database
        var migrator = _roles["migrator"];
        yield return ("Postgres__ConnectionString", new NpgsqlConnectionStringBuilder(connectionString) { Username = own.Role, Password = null }.ConnectionString);
        yield return ("Postgres__PasswordFile", own.PasswordFile);
        yield return ("Postgres__MigrationUsername", migrator.Role);
        yield return ("Postgres__MigrationPasswordFile", migrator.PasswordFile);
    }

    /// <summary>A connection as <paramref name="project"/>'s role, for tests of what it may do.</summary>
    public NpgsqlConnection ConnectAs(string project, string connectionString)
    {
        var (role, passwordFile) = _roles[Snake(project)];
        return new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Username = role, Password = File.ReadAllText(passwordFile).Trim(), Pooling = false,
        }.ConnectionString);
    }

    /// <summary>Drops the roles: after the database that holds their objects is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync(_roles.Values.Select(r => $"DROP ROLE IF EXISTS {r.Role}"));
        foreach (var (_, passwordFile) in _roles.Values) TestSecrets.Delete(passwordFile);
    }

    private async Task ExecuteAsync(IEnumerable<string> statements)
    {
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, admin);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string Snake(string project) => string.Concat(project.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
