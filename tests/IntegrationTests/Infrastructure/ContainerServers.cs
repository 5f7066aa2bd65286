using CloudBus.Security;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The tests' RabbitMQ and PostgreSQL as containers, started through Testcontainers once per test
/// run (the first test that needs a server starts both) and removed when the run ends. Tests are
/// kept apart on them as on native servers: a virtual host and a database each. ./test.sh
/// prepares the engine (scripts/lib/containers.sh: Docker where there is one, else podman with
/// images built locally) and names the images in <c>CLOUDBUS_RABBITMQ_IMAGE</c> and
/// <c>CLOUDBUS_POSTGRES_IMAGE</c>.
/// <para>
/// Every port is bound to 127.0.0.1 (Testcontainers binds all addresses otherwise), on host ports
/// chosen the way every other test server's are (<see cref="FreePort"/>: outside the ephemeral range).
/// Tests that restart the database server restart it inside its container (<see cref="RestartPostgresAsync"/>).
/// </para>
/// </summary>
public sealed class ContainerServers : IAsyncDisposable
{
    private const string BrokerUser = "cloudbus";
    private const string DatabaseUser = "cloudbus";
    private const string DatabaseName = "cloudbus";
    private const int AmqpPort = 5672;
    private const int AmqpsPort = 5671;
    private const int ManagementApiPort = 15672;
    private const int PostgresPort = 5432;
    private const string PostgresData = "/var/lib/postgresql/data";
    private const string PostgresHoldFile = "/tmp/cloudbus-postgres-hold";

    /// <summary>
    /// The database container's first process: it runs the image's entrypoint (PostgreSQL) and runs it
    /// again whenever it exits, unless a test holds it down (<see cref="RestartPostgresAsync"/>). So
    /// a restart happens inside the container, which keeps its address; a container stopped and
    /// started again came back on a new address behind its published port, and in about half the
    /// runs tried the services of a test never got back to it. docker-entrypoint.sh is the
    /// official image's entrypoint (the local image has it under that name too); it initialises
    /// the data on the first start only.
    /// </summary>
    private static readonly string[] SupervisedPostgres =
    [
        "/bin/sh", "-c",
        $"while :; do while [ -e {PostgresHoldFile} ]; do sleep 0.1; done; docker-entrypoint.sh \"$@\"; done",
        "cloudbus-postgres-supervisor",
    ];

    /// <summary>The broker's AMQPS listener, with the certificate mapped into /etc/rabbitmq/tls (no client certificates).</summary>
    private const string TlsListener = """
        listeners.ssl.default = 5671
        ssl_options.cacertfile = /etc/rabbitmq/tls/ca.crt
        ssl_options.certfile = /etc/rabbitmq/tls/server.crt
        ssl_options.keyfile = /etc/rabbitmq/tls/server.key
        ssl_options.verify = verify_none
        ssl_options.fail_if_no_peer_cert = false

        """;

    private static readonly Lazy<ContainerServers> Started = new(
        // Off xunit's synchronization context: Testcontainers' continuations must not wait for a test thread.
        () => Task.Run(StartAsync).GetAwaiter().GetResult(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly RabbitMqContainer _rabbit;
    private readonly PostgreSqlContainer _postgres;
    private readonly string _folder;

    private ContainerServers(RabbitMqContainer rabbit, PostgreSqlContainer postgres, string folder, Ports ports)
    {
        _rabbit = rabbit;
        _postgres = postgres;
        _folder = folder;
        Broker = new TestBroker("127.0.0.1", ports.Amqp, ports.Management, BrokerUser, Path.Combine(folder, "rabbitmq.password"));
        PostgresPasswordFile = Path.Combine(folder, "postgres.password");
        PostgresConnectionString = $"Host=127.0.0.1;Port={ports.Postgres};Username={DatabaseUser};Database={DatabaseName};Pooling=true;Maximum Pool Size=50";
        RabbitTlsPort = ports.Amqps;
        RabbitTlsCaFile = Path.Combine(folder, "tls", "ca.crt");
        SigningKeyFile = Path.Combine(folder, "signing.key");
    }

    /// <summary>The containers of this test run, started by the first caller.</summary>
    public static ContainerServers Instance => Started.Value;

    /// <summary>Whether ./test.sh asked for containers (<c>CLOUDBUS_TEST_SERVERS=containers</c>).</summary>
    public static bool Wanted => Environment.GetEnvironmentVariable("CLOUDBUS_TEST_SERVERS") == "containers";

    public TestBroker Broker { get; }

    /// <summary>Without a password: services read <see cref="PostgresPasswordFile"/>.</summary>
    public string PostgresConnectionString { get; }

    public string PostgresPasswordFile { get; }
    public int RabbitTlsPort { get; }
    public string RabbitTlsCaFile { get; }
    public string SigningKeyFile { get; }

    public async ValueTask DisposeAsync()
    {
        // Both at once: the test process may be on its way out (ProcessExit gives it little time).
        await Task.WhenAll(_rabbit.DisposeAsync().AsTask(), _postgres.DisposeAsync().AsTask());
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static async Task<ContainerServers> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("cloudbus-test-containers-").FullName;
        var rabbitPassword = NewSecret();
        var postgresPassword = NewSecret();
        SecretFile.Write(Path.Combine(folder, "rabbitmq.password"), rabbitPassword);
        SecretFile.Write(Path.Combine(folder, "postgres.password"), postgresPassword);
        SecretFile.Write(Path.Combine(folder, "signing.key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)));
        // The broker's TLS listener gets a certificate of its own CA, made as the native broker's is.
        var tls = Path.Combine(folder, "tls");
        await ShellScripts.RunAsync("servers.sh", "cloudbus_rabbit_tls_files", [tls], TimeSpan.FromSeconds(60));

        var ports = new Ports(FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        var rabbit = new RabbitMqBuilder(Image("CLOUDBUS_RABBITMQ_IMAGE"))
            .WithName($"cloudbus-test-rabbitmq-{Environment.ProcessId}")
            .WithLabel(RunLabel, Run)
            .WithUsername(BrokerUser)
            .WithPassword(rabbitPassword)
            .WithPortBinding(ports.Amqp, AmqpPort)
            .WithPortBinding(ports.Amqps, AmqpsPort)
            .WithPortBinding(ports.Management, ManagementApiPort)
            .WithResourceMapping(new FileInfo(Path.Combine(tls, "ca.crt")), "/etc/rabbitmq/tls/", fileMode: Unix.FileMode644)
            .WithResourceMapping(new FileInfo(Path.Combine(tls, "server.crt")), "/etc/rabbitmq/tls/", fileMode: Unix.FileMode644)
            .WithResourceMapping(new FileInfo(Path.Combine(tls, "server.key")), "/etc/rabbitmq/tls/", fileMode: Unix.FileMode644)
            // Read from conf.d by the official image and by the local one alike.
            .WithResourceMapping(System.Text.Encoding.UTF8.GetBytes(TlsListener), "/etc/rabbitmq/conf.d/20-cloudbus-tls.conf", fileMode: Unix.FileMode644)
            .WithCreateParameterModifier(OnLoopbackOnly)
            .Build();
        var postgres = new PostgreSqlBuilder(Image("CLOUDBUS_POSTGRES_IMAGE"))
            .WithName($"cloudbus-test-postgres-{Environment.ProcessId}")
            .WithLabel(RunLabel, Run)
            .WithUsername(DatabaseUser)
            .WithPassword(postgresPassword)
            .WithDatabase(DatabaseName)
            // As the native server: every test class has services with pools of their own.
            .WithCommand("-c", "max_connections=300")
            .WithEntrypoint(SupervisedPostgres)
            .WithPortBinding(ports.Postgres, PostgresPort)
            .WithCreateParameterModifier(OnLoopbackOnly)
            .Build();

        var servers = new ContainerServers(rabbit, postgres, folder, ports);
        // Both at once: each takes 4-8 s here.
        await Task.WhenAll(rabbit.StartAsync(), postgres.StartAsync());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return servers;
    }

    /// <summary>
    /// Restarts PostgreSQL inside its container, as <see cref="PostgresServer"/> restarts the native
    /// server: a fast shutdown ends every session (57P01), connections are refused for
    /// <paramref name="downFor"/>, then it answers again before this returns. The container and its
    /// address stay (<see cref="SupervisedPostgres"/>).
    /// </summary>
    public async Task RestartPostgresAsync(TimeSpan downFor)
    {
        await InPostgresAsync("stop PostgreSQL", $"touch {PostgresHoldFile} && kill -INT \"$(head -n 1 {PostgresData}/postmaster.pid)\" " +
                                                 $"&& timeout 60 sh -c 'while [ -e {PostgresData}/postmaster.pid ]; do sleep 0.1; done'");
        await Task.Delay(downFor); // the outage itself: how long the server stays down, not a wait for something
        await InPostgresAsync("start PostgreSQL", $"rm -f {PostgresHoldFile} && timeout 60 sh -c 'until pg_isready -q -h 127.0.0.1; do sleep 0.1; done'");
    }

    private async Task InPostgresAsync(string what, string script)
    {
        var result = await _postgres.ExecAsync(["sh", "-c", script]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{what} in the database container failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
    }

    /// <summary>Publishes every port on 127.0.0.1 only: nothing of the tests listens beyond loopback.</summary>
    private static void OnLoopbackOnly(CreateContainerParameters parameters)
    {
        foreach (var binding in parameters.HostConfig?.PortBindings?.Values.SelectMany(bindings => bindings) ?? [])
            binding.HostIP = "127.0.0.1";
    }

    /// <summary>
    /// The label scripts/lib/containers.sh removes this run's containers by (Ryuk, which would
    /// otherwise remove them, cannot be pulled here), and the run it names.
    /// </summary>
    private const string RunLabel = "cloudbus.test-run";

    private static string Run => Environment.GetEnvironmentVariable("CLOUDBUS_CONTAINERS_RUN") is { Length: > 0 } run ? run : "by-hand";

    private static string Image(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } image
            ? image
            : throw new InvalidOperationException($"{variable} is not set: run the tests with ./test.sh, which prepares the container engine and its images.");

    private static string NewSecret() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private sealed record Ports(int Amqp, int Amqps, int Management, int Postgres);
}
