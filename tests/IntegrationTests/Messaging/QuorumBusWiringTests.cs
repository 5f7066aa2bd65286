using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>The shared bus wiring with quorum queues on the real RabbitMQ: messages arrive, and poison is parked in a quorum error queue.</summary>
public sealed class QuorumBusWiringTests : IAsyncLifetime
{
    private const string CommandQueue = "quorum-test-commands";
    private MessagingHost _messaging = null!;
    private readonly BusWiringTests.Received _received = new();
    private readonly TaskCompletionSource<HostRecovered> _command = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync() => _messaging = await MessagingHost.StartAsync("quorum-test", bus =>
    {
        bus.AddConsumer<BusWiringTests.RecoveredConsumer>();
        bus.AddConsumer<BusWiringTests.PoisonConsumer>();
        bus.AddConsumer<CommandConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = CommandQueue;
            endpoint.ConfigureConsumeTopology = false; // a command queue: only what is sent to it
        });
    }, builder => builder.Services.AddSingleton(_received).AddSingleton(_command), ("RabbitMq:QueueType", "Quorum"));

    public Task DisposeAsync() => _messaging.DisposeAsync().AsTask();

    [Fact]
    public async Task A_published_event_reaches_its_consumer_through_a_quorum_queue()
    {
        var bus = _messaging.Services.GetRequiredService<IBus>();
        var queue = _messaging.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<BusWiringTests.RecoveredConsumer>();

        await bus.Publish(new HostRecovered { HostId = "host-7", RecoveredAt = DateTimeOffset.UtcNow });

        Assert.Equal("host-7", (await _received.Recovered.Task.WaitAsync(TimeSpan.FromSeconds(30))).HostId);
        Assert.Equal("quorum", (await _messaging.VirtualHost.QueuesAsync()).Single(q => q.Name == queue).Type);
    }

    [Fact]
    public async Task A_command_sent_to_the_exchange_of_a_quorum_queue_is_consumed()
    {
        var bus = _messaging.Services.GetRequiredService<IBus>();

        await (await bus.GetSendEndpoint(new Uri($"exchange:{CommandQueue}"))).Send(new HostRecovered { HostId = "host-8", RecoveredAt = DateTimeOffset.UtcNow });

        Assert.Equal("host-8", (await _command.Task.WaitAsync(TimeSpan.FromSeconds(30))).HostId);
        Assert.Equal("quorum", (await _messaging.VirtualHost.QueuesAsync()).Single(q => q.Name == CommandQueue).Type);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_parked_in_a_quorum_error_queue()
    {
        var bus = _messaging.Services.GetRequiredService<IBus>();
        var queue = _messaging.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<BusWiringTests.PoisonConsumer>();

        await bus.Publish(new HostSuspected { HostId = "poison", LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = [], SuspectedAt = DateTimeOffset.UtcNow });

        await Eventually.HoldsAsync(async () => await _messaging.VirtualHost.MessagesInQueueAsync(queue + "_error") == 1,
            TimeSpan.FromSeconds(30), $"the poison message in {queue}_error");
        Assert.Equal("quorum", (await _messaging.VirtualHost.QueuesAsync()).Single(q => q.Name == queue + "_error").Type);
    }

    public sealed class CommandConsumer(TaskCompletionSource<HostRecovered> received) : IConsumer<HostRecovered>
    {
        public Task Consume(ConsumeContext<HostRecovered> context)
        {
            received.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }
}
