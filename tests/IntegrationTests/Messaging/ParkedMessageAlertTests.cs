using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>
/// The parked-message alert on the real broker: it fires for a message that really is parked, and
/// not for a delivery whose connection was lost under it (the broker delivers that one again).
/// </summary>
public sealed class ParkedMessageAlertTests : IAsyncLifetime
{
    private const int UnreadableAlert = 151;
    private MessagingHost _messaging = null!;
    private readonly Gate _gate = new();

    public async Task InitializeAsync() => _messaging = await MessagingHost.StartAsync("alert-test", bus => bus.AddConsumer<HeldConsumer>(), builder =>
    {
        builder.Logging.AddFakeLogging();
        builder.Services.AddSingleton(_gate);
    });

    public async Task DisposeAsync()
    {
        _gate.Open.TrySetResult(); // a consumer still held would hold up the stop
        await _messaging.DisposeAsync();
    }

    private string Queue => _messaging.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<HeldConsumer>();

    private List<FakeLogRecord> Alerts() =>
        _messaging.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == UnreadableAlert).ToList();

    [Fact]
    public async Task A_message_nobody_can_read_is_parked_and_alerted()
    {
        _gate.Open.TrySetResult();
        await _messaging.VirtualHost.PublishRawAsync(Queue, "{not json");

        await Eventually.HoldsAsync(async () => await _messaging.VirtualHost.MessagesInQueueAsync(Queue + "_error") == 1,
            TimeSpan.FromSeconds(30), $"the unreadable message in {Queue}_error");
        await Eventually.HoldsAsync(() => Task.FromResult(Alerts().Count == 1), TimeSpan.FromSeconds(10), "one alert 151");
    }

    /// <summary>
    /// Seen in the chaos benchmark: a broker node killed under a delivery made its acknowledgement fail
    /// with the channel, and the alert said the message was parked while every error queue stayed empty.
    /// </summary>
    [Fact]
    public async Task A_delivery_whose_connection_is_lost_is_delivered_again_without_an_alert()
    {
        await _messaging.Services.GetRequiredService<IBus>().Publish(new HostRecovered { HostId = "host-held", RecoveredAt = DateTimeOffset.UtcNow });
        await _gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The management API lists a new connection within a few seconds.
        await Eventually.HoldsAsync(async () => await _messaging.VirtualHost.CloseConnectionsAsync() > 0, TimeSpan.FromSeconds(30), "the bus's connection closed");
        _gate.Open.TrySetResult(); // the consumer finishes on a channel that is gone: its ack cannot be sent

        await Eventually.HoldsAsync(() => Task.FromResult(_gate.Deliveries >= 2), TimeSpan.FromSeconds(60), "the message delivered again after the reconnect");
        Assert.Equal(0, await _messaging.VirtualHost.MessagesInQueueAsync(Queue + "_error"));
        Assert.Empty(Alerts());
    }

    /// <summary>Holds the first delivery until the test opens the gate.</summary>
    public sealed class Gate
    {
        private int _deliveries;
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Deliveries => Volatile.Read(ref _deliveries);
        public void Delivered() => Interlocked.Increment(ref _deliveries);
    }

    public sealed class HeldConsumer(Gate gate) : IConsumer<HostRecovered>
    {
        public async Task Consume(ConsumeContext<HostRecovered> context)
        {
            gate.Delivered();
            gate.Entered.TrySetResult();
            await gate.Open.Task;
        }
    }
}
