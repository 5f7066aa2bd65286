using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>The shared bus wiring with quorum queues on the real RabbitMQ: messages arrive, and poison is parked in a quorum error queue.</summary>
public sealed class QuorumBusWiringTests : IAsyncLifetime
{
    private const string CommandQueue = "quorum-test-commands";
    private TestVirtualHost _vhost = null!;
    private IHost _host = null!;
    private readonly BusWiringTests.Received _received = new();
    private readonly TaskCompletionSource<HostRecovered> _command = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.CreateAsync();
        var settings = _vhost.Environment.ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value);
        settings["RabbitMq:QueueType"] = "Quorum";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(_received);
        builder.Services.AddSingleton(_command);
        builder.Services.AddCloudBusMessaging(ServiceIdentity.Create("quorum-test", TimeProvider.System), bus =>
        {
            bus.AddConsumer<BusWiringTests.RecoveredConsumer>();
            bus.AddConsumer<BusWiringTests.PoisonConsumer>();
            bus.AddConsumer<CommandConsumer>().Endpoint(endpoint =>
            {
                endpoint.Name = CommandQueue;
                endpoint.ConfigureConsumeTopology = false; // a command queue: only what is sent to it
            });
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _vhost.DisposeAsync();
    }

    [Fact]
    public async Task A_published_event_reaches_its_consumer_through_a_quorum_queue()
    {
        var bus = _host.Services.GetRequiredService<IBus>();
        var queue = _host.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<BusWiringTests.RecoveredConsumer>();

        await bus.Publish(new HostRecovered { HostId = "host-7", RecoveredAt = DateTimeOffset.UtcNow });

        Assert.Equal("host-7", (await _received.Recovered.Task.WaitAsync(TimeSpan.FromSeconds(30))).HostId);
        Assert.Equal("quorum", (await _vhost.QueuesAsync()).Single(q => q.Name == queue).Type);
    }

    [Fact]
    public async Task A_command_sent_to_the_exchange_of_a_quorum_queue_is_consumed()
    {
        var bus = _host.Services.GetRequiredService<IBus>();

        await (await bus.GetSendEndpoint(new Uri($"exchange:{CommandQueue}"))).Send(new HostRecovered { HostId = "host-8", RecoveredAt = DateTimeOffset.UtcNow });

        Assert.Equal("host-8", (await _command.Task.WaitAsync(TimeSpan.FromSeconds(30))).HostId);
        Assert.Equal("quorum", (await _vhost.QueuesAsync()).Single(q => q.Name == CommandQueue).Type);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_parked_in_a_quorum_error_queue()
    {
        var bus = _host.Services.GetRequiredService<IBus>();
        var queue = _host.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<BusWiringTests.PoisonConsumer>();

        await bus.Publish(new HostSuspected { HostId = "poison", LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = [], SuspectedAt = DateTimeOffset.UtcNow });

        await Eventually.HoldsAsync(async () => await _vhost.MessagesInQueueAsync(queue + "_error") == 1,
            TimeSpan.FromSeconds(30), $"the poison message in {queue}_error");
        Assert.Equal("quorum", (await _vhost.QueuesAsync()).Single(q => q.Name == queue + "_error").Type);
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
