using System.Net.Http.Json;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>
/// Which queues a service process declares as quorum queues, on the real broker. It is a single node
/// here; a quorum queue with one member works on it like one on a cluster, only without replicas.
/// </summary>
public sealed class QueueTypeTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Quorum_makes_every_durable_queue_of_a_service_and_its_error_queues_quorum_and_leaves_its_per_instance_queues_classic()
    {
        await using var servers = await PrivateServers.CreateAsync();
        await using var service = ServiceProcess.Start("HostMonitor", servers.ServiceEnvironment(("RabbitMq__QueueType", "Quorum")));
        await service.WaitUntilReadyAsync(ReadyTimeout);
        var instance = await InstanceIdOf(service);

        // Error and skipped queues are declared when the first message is moved there: a message
        // nobody can read, and one of a type nobody consumes here.
        await servers.VirtualHost.PublishRawAsync("host-monitor-host-registered", "{not json");
        await servers.VirtualHost.PublishRawAsync("host-monitor-vm-trace", """{"messageType":["urn:message:Nobody:ListensHere"],"message":{}}""");
        var queues = await Eventually.ReturnsAsync(servers.VirtualHost.QueuesAsync,
            all => all.Any(q => q.Name == "host-monitor-host-registered_error") && all.Any(q => q.Name == "host-monitor-vm-trace_skipped"),
            TimeSpan.FromSeconds(30), "the error and skipped queues");

        var types = queues.ToDictionary(q => q.Name, q => q.Type);
        Assert.All(["host-monitor-host-registered", "host-monitor-vm-trace", $"{instance}-routed",
                    "host-monitor-host-registered_error", "host-monitor-vm-trace_skipped"],
            name => Assert.Equal((name, "quorum"), (name, types[name])));
        Assert.All(queues.Where(q => q.Durable), q => Assert.Equal((q.Name, "quorum"), (q.Name, q.Type)));
        // The routed queue keeps its expiration as a quorum queue: a departed instance's queue still goes away.
        Assert.True(queues.Single(q => q.Name == $"{instance}-routed").Arguments.ContainsKey("x-expires"));
        // Per-instance queues (ring changes, catch-up answers) live and die with their instance.
        var perInstance = queues.Where(q => q.Name.EndsWith(instance, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, perInstance.Count);
        Assert.All(perInstance, q => Assert.Equal((q.Name, "classic", false), (q.Name, q.Type, q.Durable)));
    }

    [Fact]
    public async Task Auto_on_a_single_node_declares_every_queue_classic()
    {
        await using var servers = await PrivateServers.CreateAsync();
        await using var service = ServiceProcess.Start("HostMonitor", servers.ServiceEnvironment());
        await service.WaitUntilReadyAsync(ReadyTimeout);

        var queues = await servers.VirtualHost.QueuesAsync();

        Assert.Contains(queues, q => q.Name == "host-monitor-host-registered" && q.Durable);
        Assert.All(queues, q => Assert.Equal((q.Name, "classic"), (q.Name, q.Type)));
        Assert.Contains("durable queues are Classic (RabbitMq:QueueType Auto)", service.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_survivor_drains_the_quorum_routed_queue_of_an_instance_that_died()
    {
        await using var servers = await PrivateServers.CreateAsync();
        var environment = servers.ServiceEnvironment(("RabbitMq__QueueType", "Quorum"),
            ("Membership__HeartbeatInterval", "00:00:00.500"), ("NodeRegistry__EvaluationInterval", "00:00:00.500"));
        await using var registry = ServiceProcess.Start("NodeRegistry", environment);
        await using var survivor = ServiceProcess.Start("HostMonitor", environment, "survivor");
        await using var doomed = ServiceProcess.Start("HostMonitor", environment, "doomed");
        await Task.WhenAll(registry.WaitUntilReadyAsync(ReadyTimeout), survivor.WaitUntilReadyAsync(ReadyTimeout), doomed.WaitUntilReadyAsync(ReadyTimeout));
        var departed = await InstanceIdOf(doomed);
        await Eventually.HoldsAsync(() => Task.FromResult(survivor.RecentOutput.Contains(departed, StringComparison.Ordinal)),
            ReadyTimeout, "the survivor's ring to hold the other instance");

        doomed.Kill();

        // The survivor declares the departed queue as its owner did (quorum, with its expiration):
        // a different declaration would be refused and the queue never drained.
        await Eventually.HoldsAsync(() => Task.FromResult(survivor.RecentOutput.Contains($"Draining the routed queue of departed instance {departed}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the survivor draining the departed instance's queue");
        Assert.Equal("quorum", (await servers.VirtualHost.QueuesAsync()).Single(q => q.Name == $"{departed}-routed").Type);
        Assert.DoesNotContain("RabbitMQ refused queue", survivor.RecentOutput, StringComparison.Ordinal);
    }

    private static async Task<string> InstanceIdOf(ServiceProcess service)
    {
        using var http = TestTokens.Client(TimeSpan.FromSeconds(10));
        var identity = await http.GetFromJsonAsync<ServiceIdentity>(new Uri(service.BaseAddress, "instance"));
        return identity!.InstanceId;
    }
}
