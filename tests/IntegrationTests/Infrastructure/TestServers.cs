namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The real RabbitMQ and PostgreSQL the tests run against, read from the same environment
/// variables the services read. ./test.sh starts both servers and exports these; any other
/// broker and database work the same way.
/// </summary>
public static class TestServers
{
    public static string RabbitHost => Required("RabbitMq__Host");
    public static int RabbitPort => int.Parse(Required("RabbitMq__Port"));
    public static int RabbitManagementPort => int.Parse(Required("RabbitMq__ManagementPort"));
    public static string RabbitUser => Required("RabbitMq__Username");
    public static string RabbitPasswordFile => Required("RabbitMq__PasswordFile");
    public static string RabbitPassword => File.ReadAllText(RabbitPasswordFile).Trim();
    /// <summary>The database server, with the password for the tests' own connections (services get the file instead).</summary>
    public static string PostgresConnectionString => PostgresPasswordFile is { } file
        ? new Npgsql.NpgsqlConnectionStringBuilder(Required("Postgres__ConnectionString")) { Password = File.ReadAllText(file).Trim() }.ConnectionString
        : Required("Postgres__ConnectionString");

    /// <summary>The file holding the database password (scripts/lib/servers.sh writes it); null for a server that asks for none.</summary>
    public static string? PostgresPasswordFile => Environment.GetEnvironmentVariable("Postgres__PasswordFile") is { Length: > 0 } file ? file : null;

    /// <summary>The local signing key of operator tokens the test services check (scripts/lib/servers.sh writes it).</summary>
    public static string SigningKeyFile => Required("Auth__SigningKeyFile");

    public static TestBroker Broker => new(RabbitHost, RabbitPort, RabbitManagementPort, RabbitUser, RabbitPasswordFile);

    /// <summary>The broker's AMQP-over-TLS port and the CA of its certificate (scripts/lib/servers.sh makes both).</summary>
    public static int RabbitTlsPort => int.Parse(Required("CLOUDBUS_RABBITMQ_TLS_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static string RabbitTlsCaFile => Required("CLOUDBUS_RABBITMQ_TLS_CA_FILE");

    /// <summary>The folder of the servers ./test.sh started (scripts/lib/servers.sh), for tests that restart them.</summary>
    public static string ServersDirectory => Required("CLOUDBUS_SERVERS_DIR");

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Environment variable {name} is not set. Run the tests with ./test.sh, which starts RabbitMQ and " +
                "PostgreSQL and exports their settings (or export RabbitMq__*, Postgres__ConnectionString and Auth__SigningKeyFile yourself).");
}
