using CloudBus.Messages.Broker;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh RabbitMQ virtual host for one test class (created through the management API and
/// deleted afterwards), so queues and messages of one test never reach another.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly TestBroker _broker;
    private readonly HttpClient _management;

    private TestVirtualHost(string name, TestBroker broker)
    {
        Name = name;
        _broker = broker;
        _management = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:{broker.ManagementPort}/api/") };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.Username}:{broker.Password}")));
    }

    public string Name { get; }

    /// <summary>A virtual host on the broker of ./test.sh.</summary>
    public static Task<TestVirtualHost> CreateAsync() => CreateAsync(TestServers.Broker);

    public static async Task<TestVirtualHost> CreateAsync(TestBroker broker)
    {
        var vhost = new TestVirtualHost("test-" + Guid.NewGuid().ToString("N")[..12], broker);
        // A cluster whose nodes are still starting answers 500 until every node can host the vhost.
        await Eventually.HoldsAsync(async () =>
        {
            using var created = await vhost._management.PutAsJsonAsync($"vhosts/{vhost.Name}", new { });
            return created.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), $"the broker to create virtual host {vhost.Name}");
        await vhost.GrantAsync();
        return vhost;
    }

    /// <summary>How many messages wait in a queue of this virtual host (0 when the queue does not exist).</summary>
    public async Task<int> MessagesInQueueAsync(string queue)
    {
        using var response = await _management.GetAsync($"queues/{Name}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return 0;
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<QueueInfo>();
        return body?.Messages ?? 0;
    }

    /// <summary>
    /// The nodes a quorum queue of this virtual host has a member on, and those of them that are
    /// online (empty lists when the queue does not exist).
    /// </summary>
    public async Task<QuorumMembers> QuorumMembersAsync(string queue)
    {
        using var response = await _management.GetAsync($"queues/{Name}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return new QuorumMembers([], []);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<QuorumQueueInfo>();
        return new QuorumMembers(body?.Members ?? [], body?.Online ?? []);
    }

    /// <summary>Every error queue of this virtual host that holds messages, with how many (parked messages nobody handled).</summary>
    public async Task<IReadOnlyDictionary<string, int>> ParkedMessagesAsync()
    {
        var queues = await _management.GetFromJsonAsync<List<NamedQueueInfo>>($"queues/{Name}?columns=name,messages") ?? [];
        return queues.Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal) && q.Messages > 0).ToDictionary(q => q.Name, q => q.Messages);
    }

    /// <summary>Every queue of this virtual host with its type (classic, quorum) and durability, as the management API lists them.</summary>
    public async Task<IReadOnlyList<QueueDeclaration>> QueuesAsync() =>
        await _management.GetFromJsonAsync<List<QueueDeclaration>>($"queues/{Name}?columns=name,type,durable,arguments") ?? [];

    /// <summary>
    /// This virtual host as the broker sees it, one line per queue (type, node, state, leader,
    /// messages), connection (who: the client's name) and channel (messages published and
    /// confirmed), for a failing test to print; asked of the management API of <paramref name="node"/> (one that runs).
    /// </summary>
    public async Task<string> DescribeAsync(TestBroker node)
    {
        using var management = new HttpClient { BaseAddress = new Uri($"http://{node.Host}:{node.ManagementPort}/api/") };
        management.DefaultRequestHeaders.Authorization = _management.DefaultRequestHeaders.Authorization;
        var lines = new List<JsonElement>();
        foreach (var path in new[]
                 {
                     $"queues/{Name}?columns=name,type,node,state,leader,online,messages,consumers",
                     $"vhosts/{Name}/connections?columns=name,user_provided_name,node",
                     $"vhosts/{Name}/channels?columns=name,node,message_stats.publish,message_stats.confirm,message_stats.return_unroutable",
                 })
            lines.AddRange(await management.GetFromJsonAsync<List<JsonElement>>(path) ?? []);
        return string.Join('\n', lines.Select(line => line.ToString()));
    }

    /// <summary>
    /// Every queue of this virtual host with how many consumers it has, as the management API lists
    /// them (its statistics are collected every few seconds, so a consumer that just started may be missing).
    /// </summary>
    public async Task<IReadOnlyList<QueueConsumers>> QueueConsumersAsync() =>
        await _management.GetFromJsonAsync<List<QueueConsumers>>($"queues/{Name}?columns=name,durable,consumers") ?? [];

    /// <summary>
    /// The exchanges bound to the exchange named <paramref name="queue"/>: MassTransit binds each
    /// message type's exchange (for example <c>CloudBus.Messages.Hosts:HostRecovered</c>) there, and
    /// that exchange to the queue of the same name, so these name the message types the queue's consumers take.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExchangesBoundToAsync(string queue)
    {
        var bindings = await _management.GetFromJsonAsync<List<BindingInfo>>(
            $"exchanges/{Name}/{Uri.EscapeDataString(queue)}/bindings/destination") ?? [];
        return bindings.Select(b => b.Source).Where(source => source.Length > 0).Distinct().ToList();
    }

    /// <summary>A plain AMQP connection to this virtual host (RabbitMQ.Client), for a test that publishes what no MassTransit client would.</summary>
    public Task<RabbitMQ.Client.IConnection> ConnectAsync(string clientName) =>
        new RabbitMQ.Client.ConnectionFactory
        {
            HostName = _broker.Host,
            Port = _broker.Port,
            UserName = _broker.Username,
            Password = _broker.Password,
            VirtualHost = Name,
        }.CreateConnectionAsync(clientName);

    /// <summary>Declares a durable classic queue, as a service declared it before quorum queues were switched on.</summary>
    public async Task DeclareClassicQueueAsync(string queue) =>
        (await _management.PutAsJsonAsync($"queues/{Name}/{queue}", new { durable = true, arguments = new { } })).EnsureSuccessStatusCode();

    /// <summary>
    /// Publishes <paramref name="body"/> to an exchange as a MassTransit message would arrive (its
    /// content type), for a test that needs a message no service can read (it lands in an error queue).
    /// </summary>
    public async Task PublishRawAsync(string exchange, string body)
    {
        using var response = await _management.PostAsJsonAsync($"exchanges/{Name}/{exchange}/publish", new
        {
            properties = new { content_type = "application/vnd.masstransit+json" },
            routing_key = "",
            payload = body,
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// How many messages RabbitMQ returned to their publisher in this virtual host because no queue
    /// was bound where they were sent (mandatory publishes). The management API refreshes it every few seconds.
    /// </summary>
    public async Task<int> ReturnedUnroutableAsync()
    {
        var vhost = await _management.GetFromJsonAsync<VirtualHostInfo>($"vhosts/{Name}");
        return vhost?.MessageStats?.ReturnUnroutable ?? 0;
    }

    /// <summary>
    /// Closes every client connection to this virtual host, as a broker restart would from the
    /// clients' side. Returns how many were closed.
    /// </summary>
    public async Task<int> CloseConnectionsAsync()
    {
        var connections = await _management.GetFromJsonAsync<List<ConnectionInfo>>($"vhosts/{Name}/connections") ?? [];
        foreach (var connection in connections)
        {
            using var closed = await _management.DeleteAsync($"connections/{Uri.EscapeDataString(connection.Name)}");
        }
        return connections.Count;
    }

    /// <summary>
    /// The broker node (for example <c>rabbit2@localhost</c>) the client connection named
    /// <paramref name="connectionName"/> (a service's instance id) is connected to; null while the
    /// management API does not list it (its statistics are collected every few seconds).
    /// </summary>
    public async Task<string?> NodeOfConnectionAsync(string connectionName)
    {
        var connections = await _management.GetFromJsonAsync<List<ConnectionInfo>>($"vhosts/{Name}/connections") ?? [];
        return connections.FirstOrDefault(c => c.UserProvidedName == connectionName)?.Node;
    }

    /// <summary>
    /// The broker goes away for this virtual host's clients, as a stopped broker node would: the
    /// user loses its permissions here (reconnects are refused) and every connection is closed.
    /// Other virtual hosts are not touched. <see cref="ResumeAsync"/> ends it.
    /// </summary>
    public async Task SuspendAsync()
    {
        (await _management.DeleteAsync($"permissions/{Name}/{_broker.Username}")).EnsureSuccessStatusCode();
        // The management API lists a connection only once its statistics are collected (every few
        // seconds): close what it lists until it has listed some and then lists none.
        var closed = 0;
        await Eventually.HoldsAsync(async () =>
        {
            var open = await CloseConnectionsAsync();
            closed += open;
            return closed > 0 && open == 0;
        }, TimeSpan.FromSeconds(30), $"every connection to virtual host {Name} closed");
    }

    /// <summary>Clients may connect to this virtual host again (after <see cref="SuspendAsync"/>).</summary>
    public async Task ResumeAsync() => await GrantAsync();

    private async Task GrantAsync() =>
        (await _management.PutAsJsonAsync($"permissions/{Name}/{_broker.Username}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();

    /// <summary>
    /// A user of this virtual host for one service, with only that service's permissions
    /// (<see cref="ServicePermissions"/>); deleted with the virtual host. Returns its settings.
    /// </summary>
    public async Task<IReadOnlyList<(string Key, string Value)>> CreateServiceUserAsync(ServicePermissions permissions)
    {
        var user = $"{Name}-{permissions.Service}";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        (await _management.PutAsJsonAsync($"users/{user}", new { password, tags = "" })).EnsureSuccessStatusCode();
        (await _management.PutAsJsonAsync($"permissions/{Name}/{user}",
            new { configure = permissions.Configure, write = permissions.Write, read = permissions.Read })).EnsureSuccessStatusCode();
        _serviceUsers.Add((user, password));
        return [("RabbitMq__Username", user), ("RabbitMq__PasswordFile", TestSecrets.NewFile(password))];
    }

    /// <summary>A plain AMQP connection as a service user made by <see cref="CreateServiceUserAsync"/>.</summary>
    public Task<RabbitMQ.Client.IConnection> ConnectAsServiceAsync(string service)
    {
        var (user, password) = _serviceUsers.Single(u => u.User == $"{Name}-{service}");
        return new RabbitMQ.Client.ConnectionFactory
        {
            HostName = _broker.Host, Port = _broker.Port, UserName = user, Password = password, VirtualHost = Name,
        }.CreateConnectionAsync($"test-as-{service}");
    }

    private readonly List<(string User, string Password)> _serviceUsers = [];

    /// <summary>The users of every connection open on this virtual host now.</summary>
    public async Task<IReadOnlySet<string>> ConnectionUsersAsync()
    {
        var connections = await _management.GetFromJsonAsync<JsonElement[]>($"vhosts/{Name}/connections") ?? [];
        return connections.Select(c => c.GetProperty("user").GetString()!).ToHashSet();
    }

    /// <summary>The environment a service process needs to use this virtual host.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var environment = new Dictionary<string, string>
            {
                ["RabbitMq__Host"] = _broker.Host,
                ["RabbitMq__Port"] = _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RabbitMq__Username"] = _broker.Username,
                ["RabbitMq__PasswordFile"] = _broker.PasswordFile,
                ["RabbitMq__VirtualHost"] = Name,
            };
            if (_broker.ClusterNodes is { } nodes) environment["RabbitMq__ClusterNodes"] = nodes;
            return environment;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (user, _) in _serviceUsers)
            using (await _management.DeleteAsync($"users/{user}")) { }
        using var response = await _management.DeleteAsync($"vhosts/{Name}");
        _management.Dispose();
    }

    /// <param name="Type">classic or quorum.</param>
    public sealed record QueueDeclaration(string Name, string Type, bool Durable, Dictionary<string, JsonElement> Arguments);

    public sealed record QueueConsumers(string Name, bool Durable, int Consumers);

    private sealed record BindingInfo(string Source);

    private sealed record QueueInfo(int Messages);

    private sealed record VirtualHostInfo([property: JsonPropertyName("message_stats")] MessageStats? MessageStats);

    private sealed record MessageStats([property: JsonPropertyName("return_unroutable")] int ReturnUnroutable);

    private sealed record NamedQueueInfo(string Name, int Messages);

    private sealed record QuorumQueueInfo(List<string>? Members, List<string>? Online);

    private sealed record ConnectionInfo(
        string Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("user_provided_name")] string? UserProvidedName = null,
        string? Node = null);
}
