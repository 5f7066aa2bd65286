namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The real RabbitMQ and PostgreSQL the tests run against: containers started through
/// Testcontainers (<see cref="ContainerServers"/>) when ./test.sh asks for them, which it does
/// everywhere; otherwise the native servers of <see cref="NativeServers"/>, read from the same
/// environment variables the services read (a developer's own servers work that way too).
/// </summary>
public static class TestServers
{
    public static TestBroker Broker => ContainerServers.Wanted ? ContainerServers.Instance.Broker : NativeServers.Broker;

    /// <summary>The database server, with the password for the tests' own connections (services get the file instead).</summary>
    public static string PostgresConnectionString => WithPassword(
        ContainerServers.Wanted ? ContainerServers.Instance.PostgresConnectionString : NativeServers.PostgresConnectionStringWithoutPassword,
        PostgresPasswordFile);

    /// <summary>The file holding the database password; null for a server that asks for none.</summary>
    public static string? PostgresPasswordFile => ContainerServers.Wanted ? ContainerServers.Instance.PostgresPasswordFile : NativeServers.PostgresPasswordFile;

    /// <summary>The local signing key of operator tokens the test services check.</summary>
    public static string SigningKeyFile => ContainerServers.Wanted ? ContainerServers.Instance.SigningKeyFile : NativeServers.SigningKeyFile;

    /// <summary>The broker's AMQP-over-TLS port and the CA of its certificate.</summary>
    public static int RabbitTlsPort => ContainerServers.Wanted ? ContainerServers.Instance.RabbitTlsPort : NativeServers.RabbitTlsPort;
    public static string RabbitTlsCaFile => ContainerServers.Wanted ? ContainerServers.Instance.RabbitTlsCaFile : NativeServers.RabbitTlsCaFile;

    public static string RabbitPassword => Broker.Password;

    /// <summary><paramref name="connectionString"/> with the password in <paramref name="passwordFile"/> (none when null), for the tests' own connections.</summary>
    internal static string WithPassword(string connectionString, string? passwordFile) => passwordFile is null
        ? connectionString
        : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Password = File.ReadAllText(passwordFile).Trim() }.ConnectionString;
}
