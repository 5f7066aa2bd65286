using System.Text.Json;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;
using MassTransit.Serialization;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>
/// Issue 13: a poison message on any queue of the control plane is parked in that queue's
/// <c>_error</c> queue (once: not lost, not skipped, not retried forever), and the consumer keeps
/// going. Every queue a service consumes from gets a body that is not JSON at all and, for each
/// message type its consumers take, an envelope of that type whose fields have the wrong JSON types.
/// </summary>
public sealed class PoisonMessageTests(ControlPlaneStack stack, ITestOutputHelper output) : IClassFixture<ControlPlaneStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly string[] ServicePrefixes = ["node-registry-", "host-monitor-", "vm-lifecycle-", "ha-orchestrator-"];

    [Fact]
    public async Task Poison_on_every_consumed_queue_is_parked_in_its_error_queue_and_the_services_keep_working()
    {
        var vhost = stack.Servers.VirtualHost;
        var queues = await ConsumedQueuesAsync(vhost);
        var poison = await PoisonForAsync(vhost, queues);
        var parkedBefore = await vhost.ParkedMessagesAsync();
        foreach (var queue in poison.GroupBy(p => p.Queue))
            output.WriteLine($"{queue.Key}: {string.Join(", ", queue.Select(p => p.What))}");

        await PublishAsync(vhost, poison);

        // Each poison message exactly once in its queue's error queue, on top of what was there.
        var expected = poison.GroupBy(p => p.Queue + "_error").ToDictionary(g => g.Key, g => g.Count() + parkedBefore.GetValueOrDefault(g.Key));
        foreach (var (queue, count) in parkedBefore) expected.TryAdd(queue, count);
        await Eventually.ReturnsAsync(vhost.ParkedMessagesAsync, parked => SameCounts(parked, expected), Timeout,
            "every poison message in its queue's error queue: " + string.Join(", ", expected.Select(e => $"{e.Key}={e.Value}")));
        await Eventually.ReturnsAsync(() => DepthsAsync(vhost, queues.Select(q => q.Name)), depths => depths.Values.All(d => d == 0), Timeout,
            "every poisoned queue empty (nothing redelivered or held unacknowledged)");
        var skipped = await DepthsAsync(vhost, (await vhost.QueueConsumersAsync()).Select(q => q.Name).Where(name => name.EndsWith("_skipped", StringComparison.Ordinal)));
        Assert.All(skipped, s => Assert.Equal(0, s.Value));

        // The consumers are still there, in services that are still running.
        Assert.All(stack.Services, service => Assert.False(service.HasExited, $"{service.Name} exited: {service.RecentOutput}"));
        await Eventually.ReturnsAsync(vhost.QueueConsumersAsync, now => queues.All(q => now.Any(n => n.Name == q.Name && n.Consumers > 0)), Timeout,
            "a consumer still on every poisoned queue");

        // And they still do their work: hosts connect, and a VM starts and runs.
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "after-poison", cpuCores = 1, memoryMib = 512 });
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { });
        await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"), v => v.State == "Running", Timeout,
            "the VM started after the poison Running");

        // Nothing came back from an error queue or was parked twice in the meantime.
        Assert.True(SameCounts(await vhost.ParkedMessagesAsync(), expected));
    }

    /// <summary>
    /// Every queue a service consumes from. The management API lists a consumer a few seconds after
    /// it started, and in a fresh stack every queue but the error queues has one, so this waits until
    /// it lists them all. Error and skipped queues are left out: nobody consumes them, they are where
    /// poison is meant to end. Per-instance temporary queues (catch-up answers, ring changes) stay in:
    /// a service reads them like any other, and poison there must not stop the instance either.
    /// </summary>
    private static async Task<IReadOnlyList<TestVirtualHost.QueueConsumers>> ConsumedQueuesAsync(TestVirtualHost vhost)
    {
        var queues = await Eventually.ReturnsAsync(async () => (await vhost.QueueConsumersAsync()).Where(q => !IsParking(q.Name)).ToList(),
            list => list.Count > 0 && list.All(q => q.Consumers > 0), Timeout, "a consumer on every queue of the stack");
        // A listing taken too early could miss a service altogether; each has durable queues of its own.
        Assert.All(ServicePrefixes, prefix => Assert.Contains(queues, q => q.Durable && q.Name.StartsWith(prefix, StringComparison.Ordinal)));
        return queues;
    }

    private static bool IsParking(string queue) =>
        queue.EndsWith("_error", StringComparison.Ordinal) || queue.EndsWith("_skipped", StringComparison.Ordinal);

    /// <summary>Not-JSON for every queue, and a wrongly typed envelope for each message type bound to it.</summary>
    private static async Task<IReadOnlyList<Poison>> PoisonForAsync(TestVirtualHost vhost, IEnumerable<TestVirtualHost.QueueConsumers> queues)
    {
        var poison = new List<Poison>();
        foreach (var queue in queues)
        {
            poison.Add(new Poison(queue.Name, "not JSON", PoisonMessages.NotJson()));
            var exchanges = await vhost.ExchangesBoundToAsync(queue.Name);
            var messageTypes = exchanges.Select(e => (Exchange: e, Type: PoisonMessages.MessageTypeOf(e))).ToList();
            Assert.True(messageTypes.Count > 0, $"{queue.Name} has no message type bound to it");
            Assert.All(messageTypes, m => Assert.True(m.Type is not null, $"{m.Exchange} (bound to {queue.Name}) names no shared message type"));
            foreach (var (exchange, type) in messageTypes)
            {
                var body = PoisonMessages.WrongFieldTypes(type!, exchange);
                // Poison for the service means poison for its deserializer: make sure of it here.
                Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(PoisonMessages.MessageOf(body), type!, SystemTextJsonMessageSerializer.Options));
                poison.Add(new Poison(queue.Name, exchange, body));
            }
        }
        return poison;
    }

    /// <summary>Straight onto each queue (default exchange), persistent, confirmed by the broker.</summary>
    private static async Task PublishAsync(TestVirtualHost vhost, IEnumerable<Poison> poison)
    {
        await using var connection = await vhost.ConnectAsync("poison-message-tests");
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        foreach (var message in poison)
        {
            var properties = new BasicProperties
            {
                ContentType = PoisonMessages.ContentType,
                Persistent = true,
                MessageId = Guid.NewGuid().ToString(),
                Type = message.What,
            };
            await channel.BasicPublishAsync("", message.Queue, mandatory: true, properties, message.Body);
        }
    }

    private static async Task<Dictionary<string, int>> DepthsAsync(TestVirtualHost vhost, IEnumerable<string> queues)
    {
        var depths = new Dictionary<string, int>();
        foreach (var queue in queues) depths[queue] = await vhost.MessagesInQueueAsync(queue);
        return depths;
    }

    private static bool SameCounts(IReadOnlyDictionary<string, int> actual, Dictionary<string, int> expected) =>
        actual.Count == expected.Count && expected.All(e => actual.GetValueOrDefault(e.Key) == e.Value);

    /// <param name="What">"not JSON", or the message type whose fields are wrong.</param>
    private sealed record Poison(string Queue, string What, byte[] Body);
}
