using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>The shared bus wiring against the real RabbitMQ: messages arrive, and poison lands in an error queue.</summary>
public sealed class BusWiringTests : IAsyncLifetime
{
    private TestVirtualHost _vhost = null!;
    private IHost _host = null!;
    private readonly Received _received = new();

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.CreateAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(_vhost.Environment.ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value));
        builder.Services.AddSingleton(_received);
        builder.Services.AddCloudBusMessaging(ServiceIdentity.Create("bus-test", TimeProvider.System), bus =>
        {
            bus.AddConsumer<RecoveredConsumer>();
            bus.AddConsumer<PoisonConsumer>();
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
    public async Task A_published_event_reaches_its_consumer_over_rabbitmq()
    {
        var bus = _host.Services.GetRequiredService<IBus>();
        await bus.Publish(new HostRecovered { HostId = "host-7", RecoveredAt = DateTimeOffset.UtcNow });

        var message = await _received.Recovered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("host-7", message.HostId);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_lands_in_the_error_queue_after_retries()
    {
        var bus = _host.Services.GetRequiredService<IBus>();
        var queue = _host.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<PoisonConsumer>();

        await bus.Publish(new HostSuspected { HostId = "poison", LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = [], SuspectedAt = DateTimeOffset.UtcNow });

        await Eventually.HoldsAsync(async () => await _vhost.MessagesInQueueAsync(queue + "_error") == 1,
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
