using System.Text.RegularExpressions;
using CloudBus.Bench;
using Npgsql;

namespace CloudBus.UnitTests.Deploy;

/// <summary>
/// The compose stack's database connections: every instance of every service may hold its pool's
/// Maximum Pool Size, and all of them together must fit the server's max_connections (less the
/// superuser's reserve), in each profile, or a busy moment ends in "too many clients".
/// </summary>
public sealed partial class ComposeConnectionBudgetTests
{
    // PostgreSQL keeps these for superusers (superuser_reserved_connections); Patroni and the
    // operator's psql use them.
    private const int ReservedConnections = 3;

    [Theory]
    [InlineData("single")]
    [InlineData("ha")]
    public void All_pools_of_a_profile_fit_its_databases_max_connections(string profile)
    {
        var services = ComposeFile.Services();
        var pools = services
            .Where(service => Profiles(service.Value).Contains(profile))
            .Select(service => (Name: service.Key, Connections: PoolSize(service.Value) * Replicas(service.Value)))
            .Where(pool => pool.Connections > 0)
            .ToList();

        var capacity = profile == "ha" ? PatroniMaxConnections() : CommandMaxConnections(services["postgres"]);

        Assert.NotEmpty(pools);
        var needed = pools.Sum(pool => pool.Connections);
        Assert.True(needed <= capacity - ReservedConnections,
            $"profile {profile}: {needed} connections in pools ({string.Join(", ", pools.Select(p => $"{p.Name} {p.Connections}"))}) > max_connections {capacity} - {ReservedConnections}");
    }

    private static List<string> Profiles(Dictionary<object, object> service) =>
        service.TryGetValue("profiles", out var profiles) ? ((List<object>)profiles).Cast<string>().ToList() : ["single", "ha"];

    private static int Replicas(Dictionary<object, object> service) =>
        service.TryGetValue("deploy", out var deploy) && ((Dictionary<object, object>)deploy).TryGetValue("replicas", out var replicas)
            ? int.Parse((string)replicas, System.Globalization.CultureInfo.InvariantCulture)
            : 1;

    private static int PoolSize(Dictionary<object, object> service)
    {
        if (!service.TryGetValue("environment", out var environment)
            || !((Dictionary<object, object>)environment).TryGetValue("Postgres__ConnectionString", out var connectionString))
            return 0;
        // Npgsql's own default when the string names none.
        return new NpgsqlConnectionStringBuilder((string)connectionString).MaxPoolSize;
    }

    private static int CommandMaxConnections(Dictionary<object, object> database)
    {
        var command = database.TryGetValue("command", out var given) ? string.Join(' ', ((List<object>)given).Cast<string>()) : "";
        return MaxConnectionsSetting().Match(command) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 100; // PostgreSQL's default
    }

    private static int PatroniMaxConnections()
    {
        var patroni = File.ReadAllText(Path.Combine(BenchProcess.RepositoryRoot, "deploy", "patroni", "patroni.yml"));
        return int.Parse(PatroniSetting().Match(patroni).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"max_connections=(\d+)")]
    private static partial Regex MaxConnectionsSetting();

    [GeneratedRegex(@"max_connections:\s*(\d+)")]
    private static partial Regex PatroniSetting();
}
