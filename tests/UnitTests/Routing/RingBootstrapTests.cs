using CloudBus.Messages.Routing;
using CloudBus.Ring;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Routing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudBus.UnitTests.Routing;

/// <summary>
/// Unit-level (MassTransit's in-memory harness): a starting instance asks for its ring instead of
/// waiting for a change, and takes the announcement that answers it (no reply to its own address).
/// </summary>
public sealed class RingBootstrapTests
{
    [Fact]
    public async Task A_starting_instance_asks_for_the_current_ring_and_takes_it()
    {
        var identity = new ServiceIdentity("host-monitor", "host-monitor-self", DateTimeOffset.UtcNow);
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(identity)
            // What BusRegistration registers in a service; the routed queue's endpoint callback needs it.
            .AddSingleton(new QueueTypes(RabbitMqQueueType.Classic))
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<CurrentRingResponder>();
                bus.AddRingRouting(bus, identity); // the configurator is the service collection
            })
            .BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);

        var ring = provider.GetRequiredService<RingHolder>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await WaitForAsync(() => ring.Current.Epoch == 7, deadline.Token);

        Assert.True(await harness.Consumed.Any<GetRing>(m => m.Context.Message.Service == "host-monitor"));
        Assert.Equal(["host-monitor-other", "host-monitor-self"], ring.Current.Ring.Members);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken deadline)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition()) await poll.WaitForNextTickAsync(deadline);
    }

    /// <summary>Plays NodeRegistry: the current ring of host-monitor is epoch 7, announced to all.</summary>
    public sealed class CurrentRingResponder : IConsumer<GetRing>
    {
        public Task Consume(ConsumeContext<GetRing> context) => context.Publish(new RingChanged
        {
            Service = context.Message.Service, Epoch = 7, Members = ["host-monitor-other", "host-monitor-self"],
            VirtualNodesPerMember = 50, ChangedAt = DateTimeOffset.UtcNow,
        });
    }
}
