using System.Globalization;
using CloudBus.Security;
using CloudBus.IntegrationTests.Infrastructure;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace CloudBus.IntegrationTests.Compose;

/// <summary>
/// The repository's docker-compose.yml started for real, as a user starts it, on the test run's
/// container engine (./test.sh prepares it with scripts/lib/containers.sh: Docker where there is
/// one, else podman serving the Docker API with images built locally). The project has a name of
/// its own, secret files made for it, the engine's images (<c>CLOUDBUS_*_IMAGE</c>) and every
/// published port left to the engine (bound to 127.0.0.1), so it never collides with anything else
/// on the machine. docker-compose v1.29 drives it where installed, else <c>docker compose</c>.
/// </summary>
public sealed class ComposeProject : IAsyncDisposable
{
    /// <summary>The images' non-root user (APP_UID of the .NET images): the services read the secrets as it.</summary>
    private const string ContainerUser = "1654";

    /// <summary>The published-port variables of docker-compose.yml: empty, the engine picks a free port.</summary>
    private static readonly string[] PortVariables =
    [
        "CLOUDBUS_VM_LIFECYCLE_PORT", "CLOUDBUS_HOST_MONITOR_PORT", "CLOUDBUS_NODE_REGISTRY_PORT", "CLOUDBUS_HA_ORCHESTRATOR_PORT",
        "CLOUDBUS_HOST_AGENT_PORT", "CLOUDBUS_JAEGER_UI_PORT", "CLOUDBUS_RABBITMQ_MANAGEMENT_PORT", "CLOUDBUS_CONSOLE_PORT",
    ];

    private readonly string _secrets;
    private readonly IReadOnlyList<string> _files;
    private readonly Dictionary<string, string?> _environment;
    private readonly DockerClient _engine;
    private readonly (string Program, string[] Prefix) _compose;
    private bool _down;

    private ComposeProject(string secrets, IReadOnlyList<string> files, Dictionary<string, string?> environment)
    {
        _secrets = secrets;
        _files = files;
        _environment = environment;
        Name = environment["COMPOSE_PROJECT_NAME"]!;
        // Finds the engine as the docker CLI does: DOCKER_HOST (containers.env sets it for podman), else the default socket.
        _engine = new DockerClientBuilder().Build();
        _compose = OnPath("docker-compose") ? ("docker-compose", []) : ("docker", ["compose"]);
    }

    public string Name { get; }

    /// <summary>The key the stack's services check operator tokens against.</summary>
    public string SigningKeyFile => Path.Combine(_secrets, "signing.key");

    /// <summary>
    /// A project of docker-compose.yml (single profile) plus <paramref name="overrideFiles"/>, with
    /// <paramref name="settings"/> added to the variables compose reads. Nothing is started yet.
    /// </summary>
    public static async Task<ComposeProject> CreateAsync(IEnumerable<string> overrideFiles, IEnumerable<KeyValuePair<string, string>> settings)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CLOUDBUS_CONTAINER_ENGINE")))
            throw new InvalidOperationException(
                "No container engine was prepared for this test run: run ./test.sh, or source the containers.env that " +
                "scripts/lib/containers.sh's cloudbus_containers_start DIR writes, before running the compose tests.");

        var secrets = Directory.CreateTempSubdirectory("cloudbus-compose-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["COMPOSE_PROJECT_NAME"] = "cloudbus-test-" + Guid.NewGuid().ToString("N")[..8],
            ["COMPOSE_PROFILES"] = "single",
            ["CLOUDBUS_RABBITMQ_PASSWORD_FILE"] = await WriteSecretAsync(secrets, "rabbitmq.password", NewPassword()),
            ["CLOUDBUS_POSTGRES_PASSWORD_FILE"] = await WriteSecretAsync(secrets, "postgres.password", NewPassword()),
            ["CLOUDBUS_BMC_PASSWORD_FILE"] = await WriteSecretAsync(secrets, "bmc.password", NewPassword()),
            ["CLOUDBUS_SIGNING_KEY_FILE"] = await WriteSecretAsync(secrets, "signing.key", OperatorTokens.NewKey()),
        };
        foreach (var port in PortVariables) environment[port] = "";
        foreach (var (name, value) in settings) environment[name] = value;
        var files = new List<string> { Path.Combine(ServiceBinaries.RepositoryRoot, "docker-compose.yml") };
        files.AddRange(overrideFiles);
        return new ComposeProject(secrets, files, environment);
    }

    /// <summary>Runs a compose command (<c>up -d</c>, <c>ps</c>, ...) on this project; a failure throws with its output.</summary>
    public Task<string> RunAsync(TimeSpan timeout, string what, params string[] arguments) =>
        ShellCommand.RunAsync(_compose.Program, [.. _compose.Prefix, .. _files.SelectMany(f => new[] { "-f", f }), .. arguments],
            timeout, what, ServiceBinaries.RepositoryRoot, _environment);

    /// <summary>Runs a command in the service's container (<c>exec -T</c>) and returns what it printed.</summary>
    public Task<string> ExecAsync(string service, params string[] command) =>
        RunAsync(TimeSpan.FromSeconds(60), $"{string.Join(' ', command)} in {service}", ["exec", "-T", service, .. command]);

    /// <summary>Where the host reaches <paramref name="containerPort"/> of instance <paramref name="index"/> (from 1) of a service.</summary>
    public async Task<Uri> PublishedAsync(string service, int containerPort, int index = 1)
    {
        var printed = (await RunAsync(TimeSpan.FromSeconds(30), $"the published port of {service}",
            "port", $"--index={index}", service, containerPort.ToString(CultureInfo.InvariantCulture))).Trim();
        // "127.0.0.1:41234"; docker compose v2 may print the IPv6 binding on a second line.
        var first = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var port = first[(first.LastIndexOf(':') + 1)..];
        return new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Every container of the project: its service, state and health (null without a health check).</summary>
    public async Task<IReadOnlyList<ComposeContainer>> ContainersAsync()
    {
        var listed = await _engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = ProjectFilter() });
        var containers = new List<ComposeContainer>();
        foreach (var container in listed)
        {
            var inspected = await _engine.Containers.InspectContainerAsync(container.ID);
            containers.Add(new ComposeContainer(
                container.Labels.TryGetValue("com.docker.compose.service", out var service) ? service : "?",
                inspected.Name.TrimStart('/'), inspected.State?.Status ?? "?", inspected.State?.Health?.Status is { Length: > 0 } health ? health : null));
        }

        return containers;
    }

    /// <summary>Every published port of the project's containers as <c>address:port</c> (the engine's own account, not the file's).</summary>
    public async Task<IReadOnlyList<string>> PublishedPortsAsync()
    {
        var containers = await _engine.Containers.ListContainersAsync(new ContainersListParameters { Filters = ProjectFilter() });
        return [.. containers.SelectMany(c => c.Ports ?? []).Where(p => p.PublicPort != 0).Select(p => $"{p.IP}:{p.PublicPort}")];
    }

    /// <summary>The project's containers, volumes and networks still on the engine (after <c>down -v</c>: none).</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync()
    {
        var containers = await _engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = ProjectFilter() });
        var volumes = await _engine.Volumes.ListAsync(new VolumesListParameters { Filters = ProjectFilter() });
        var networks = await _engine.Networks.ListNetworksAsync(new NetworksListParameters { Filters = ProjectFilter() });
        return
        [
            .. containers.Select(c => "container " + string.Join(',', c.Names)),
            .. (volumes?.Volumes ?? []).Select(v => "volume " + v.Name),
            .. networks.Select(n => "network " + n.Name),
        ];
    }

    /// <summary>
    /// <c>down -v --rmi local</c>: the containers, the network, the volumes and the images this
    /// project built removed (each test run builds under a new project name; the engine's build
    /// cache stays, so the next run's build is still quick).
    /// </summary>
    public async Task DownAsync()
    {
        await RunAsync(TimeSpan.FromMinutes(3), "docker-compose down -v", "down", "-v", "--rmi", "local", "--remove-orphans", "-t", "10");
        _down = true;
    }

    /// <summary>Takes the project down if the test did not, and deletes its secrets.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_down) await DownAsync();
        }
        finally
        {
            _engine.Dispose();
            Directory.Delete(_secrets, recursive: true);
        }
    }

    private Dictionary<string, IDictionary<string, bool>> ProjectFilter() =>
        new() { ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={Name}"] = true } };

    /// <summary>
    /// A secret file as the stack wants it: mode 600 (the services refuse files others may read),
    /// owned by the images' user when the test runs as root (the broker and database containers
    /// read theirs as root).
    /// </summary>
    private static async Task<string> WriteSecretAsync(string folder, string name, string secret)
    {
        var path = Path.Combine(folder, name);
        SecretFile.Write(path, secret);
        if (Environment.UserName == "root")
            await ShellCommand.RunAsync("chown", [$"{ContainerUser}:{ContainerUser}", path], TimeSpan.FromSeconds(10), $"chown of {name}");
        return path;
    }

    /// <summary>16 characters: the longest password every BMC accepts (IPMI 1.5), and strong enough for the others.</summary>
    private static string NewPassword() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(folder => File.Exists(Path.Combine(folder, program)));
}

/// <summary>One container of a compose project as the engine reports it.</summary>
public sealed record ComposeContainer(string Service, string Name, string State, string? Health);
