using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>The shared bus wiring against the real RabbitMQ: messages arrive, and poison lands in an error queue.</summary>
public sealed class BusWiringTests : IAsyncLifetime
{
    private MessagingHost _messaging = null!;
    private readonly Received _received = new();

    public async Task InitializeAsync() => _messaging = await MessagingHost.StartAsync("bus-test", bus =>
    {
        bus.AddConsumer<RecoveredConsumer>();
        bus.AddConsumer<PoisonConsumer>();
    }, builder => builder.Services.AddSingleton(_received));

    public Task DisposeAsync() => _messaging.DisposeAsync().AsTask();

    [Fact]
    public async Task A_published_event_reaches_its_consumer_over_rabbitmq()
    {
        var bus = _messaging.Services.GetRequiredService<IBus>();
        await bus.Publish(new HostRecovered { HostId = "host-7", RecoveredAt = DateTimeOffset.UtcNow });

        var message = await _received.Recovered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("host-7", message.HostId);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_lands_in_the_error_queue_after_retries()
    {
        var bus = _messaging.Services.GetRequiredService<IBus>();
        var queue = _messaging.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<PoisonConsumer>();

        await bus.Publish(new HostSuspected { HostId = "poison", LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = [], SuspectedAt = DateTimeOffset.UtcNow });

        await Eventually.HoldsAsync(async () => await _messaging.VirtualHost.MessagesInQueueAsync(queue + "_error") == 1,
            TimeSpan.FromSeconds(30), $"the poison message in {queue}_error");
        Assert.Equal(4, _received.PoisonAttempts); // the first try and three immediate retries
    }

    public sealed class Received
    {
        private int _poisonAttempts;
        public TaskCompletionSource<HostRecovered> Recovered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int PoisonAttempts => Volatile.Read(ref _poisonAttempts);
        public void PoisonTried() => Interlocked.Increment(ref _poisonAttempts);
    }

    public sealed class RecoveredConsumer(Received received) : IConsumer<HostRecovered>
    {
        public Task Consume(ConsumeContext<HostRecovered> context)
        {
            received.Recovered.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }

    public sealed class PoisonConsumer(Received received) : IConsumer<HostSuspected>
    {
        public Task Consume(ConsumeContext<HostSuspected> context)
        {
            received.PoisonTried();
            throw new InvalidOperationException("this message can never be handled");
        }
    }
}
