namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The native RabbitMQ and PostgreSQL ./test.sh starts with scripts/lib/servers.sh (the servers
/// `./up.sh` runs on), read from the environment variables the services read. Tests of those
/// scripts use them directly; the rest reach them through <see cref="TestServers"/> when no
/// containers were asked for.
/// </summary>
public static class NativeServers
{
    public static TestBroker Broker => new(
        Required("RabbitMq__Host"), int.Parse(Required("RabbitMq__Port"), System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(Required("RabbitMq__ManagementPort"), System.Globalization.CultureInfo.InvariantCulture), Required("RabbitMq__Username"),
        Required("RabbitMq__PasswordFile"));

    /// <summary>As the services are given it: the password is in <see cref="PostgresPasswordFile"/>.</summary>
    public static string PostgresConnectionStringWithoutPassword => Required("Postgres__ConnectionString");

    /// <summary>With the password, for the tests' own connections.</summary>
    public static string PostgresConnectionString => TestServers.WithPassword(PostgresConnectionStringWithoutPassword, PostgresPasswordFile);

    /// <summary>The file holding the database password (scripts/lib/servers.sh writes it); null for a server that asks for none.</summary>
    public static string? PostgresPasswordFile => Environment.GetEnvironmentVariable("Postgres__PasswordFile") is { Length: > 0 } file ? file : null;

    public static string SigningKeyFile => Required("Auth__SigningKeyFile");

    public static int RabbitTlsPort => int.Parse(Required("CLOUDBUS_RABBITMQ_TLS_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static string RabbitTlsCaFile => Required("CLOUDBUS_RABBITMQ_TLS_CA_FILE");

    /// <summary>The folder of the servers (scripts/lib/servers.sh), for tests that run its functions on them.</summary>
    public static string ServersDirectory => Required("CLOUDBUS_SERVERS_DIR");

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Environment variable {name} is not set. Run the tests with ./test.sh, which starts RabbitMQ and " +
                "PostgreSQL and exports their settings (or export RabbitMq__*, Postgres__ConnectionString and Auth__SigningKeyFile yourself).");
}
