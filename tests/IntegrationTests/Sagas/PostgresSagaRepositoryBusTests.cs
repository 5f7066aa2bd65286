using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Sagas;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>
/// A state machine saga on the Postgres repository, wired the way a service wires it, on the real
/// RabbitMQ: lost races are retried to the exact count, finalized instances are deleted, and state
/// outlives the bus.
/// </summary>
public sealed class PostgresSagaRepositoryBusTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private CounterProbe _probe = new();
    private TestVirtualHost _vhost = null!;
    private TestDatabase _database = null!;
    private TestBus _publisher = null!;

    public async Task InitializeAsync()
    {
        _vhost = await TestVirtualHost.CreateAsync();
        _database = await TestDatabase.CreateAsync();
        await CounterTable.MigrateAsync(_database.DataSource);
        _publisher = await TestBus.StartAsync(_vhost.Environment);
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _database.DisposeAsync();
        await _vhost.DisposeAsync();
    }

    [Fact]
    public async Task Fifty_concurrent_increments_of_one_saga_count_exactly_fifty()
    {
        using var service = await StartServiceAsync();
        var id = await StartedCounterAsync();
        _probe.ForceALostRace();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _publisher.PublishAsync(new CounterIncremented { CounterId = id })));

        var queue = SagaQueue(service);
        await Eventually.HoldsAsync(async () => (await LoadAsync(id))?.Count >= 50 && await _vhost.MessagesInQueueAsync(queue) == 0,
            Deadline, "fifty increments counted and the saga's queue drained");
        var counter = (await LoadAsync(id))!;
        Assert.Equal(50, counter.Count);
        Assert.Equal(51, counter.Version); // one insert, then one update per increment: none applied twice
        Assert.Equal(0, await _vhost.MessagesInQueueAsync(queue + "_error"));
        Assert.True(_probe.RetriedIncrements > 0, "no increment lost a race, so the test did not exercise concurrency");
        await service.StopAsync();
    }

    [Theory]
    [InlineData(false, 10)] // the first start saves version 1, each other start loads it and saves once more
    [InlineData(true, 11)]  // inserted as version 1 before consuming, then saved once per start
    public async Task Concurrent_starts_of_one_saga_create_it_once(bool insertOnInitial, int expectedVersion)
    {
        _probe = new CounterProbe { InsertOnInitial = insertOnInitial };
        using var service = await StartServiceAsync();
        var id = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _publisher.PublishAsync(new CounterStarted { CounterId = id, Label = $"start {i}" })));

        var queue = SagaQueue(service);
        var counter = await Eventually.ReturnsAsync(async () => (await LoadAsync(id), await _vhost.MessagesInQueueAsync(queue)),
            seen => seen.Item1?.Version >= expectedVersion && seen.Item2 == 0, Deadline, "every start consumed");
        Assert.Equal((expectedVersion, "Counting"), (counter.Item1!.Version, counter.Item1.CurrentState));
        Assert.Equal(0, await _vhost.MessagesInQueueAsync(queue + "_error"));
        await service.StopAsync();
    }

    [Fact]
    public async Task A_finalized_saga_is_deleted()
    {
        using var service = await StartServiceAsync();
        var finished = await StartedCounterAsync();
        var running = await StartedCounterAsync();

        await _publisher.PublishAsync(new CounterFinished { CounterId = finished });

        await Eventually.HoldsAsync(async () => await LoadAsync(finished) is null, Deadline, "the finished counter's row deleted");
        Assert.NotNull(await LoadAsync(running));
        Assert.Equal(0, await _vhost.MessagesInQueueAsync(SagaQueue(service) + "_error"));
        await service.StopAsync();
    }

    [Fact]
    public async Task A_saga_carries_on_from_its_stored_state_on_a_new_bus()
    {
        Guid id;
        using (var first = await StartServiceAsync())
        {
            id = await StartedCounterAsync("survivor");
            for (var i = 0; i < 3; i++) await _publisher.PublishAsync(new CounterIncremented { CounterId = id });
            await Eventually.HoldsAsync(async () => (await LoadAsync(id))?.Count == 3, Deadline, "three increments before the restart");
            await first.StopAsync();
        }

        using var second = await StartServiceAsync();
        for (var i = 0; i < 2; i++) await _publisher.PublishAsync(new CounterIncremented { CounterId = id });

        var counter = await Eventually.ReturnsAsync(() => LoadAsync(id), c => c?.Count == 5, Deadline, "five increments after the restart");
        Assert.Equal(("Counting", "survivor"), (counter!.CurrentState, counter.Label));
        await second.StopAsync();
    }

    /// <summary>A service host with the counter saga on the Postgres repository, as a service's Program.cs would wire it.</summary>
    private async Task<IHost> StartServiceAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(_vhost.Environment.ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value));
        builder.Services.AddSingleton(_database.DataSource);
        builder.Services.AddSingleton(_probe);
        builder.Services.AddCloudBusMessaging(ServiceIdentity.Create("saga-test", TimeProvider.System), bus =>
            bus.AddSagaStateMachine<CounterStateMachine, CounterState, CounterStateDefinition>()
                .PostgresRepository(CounterTable.Name));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// Starts a counter and waits until it is stored: an increment consumed before then would find no
    /// saga and be dropped (the saga's concern, not the repository's).
    /// </summary>
    private async Task<Guid> StartedCounterAsync(string? label = null)
    {
        var id = Guid.NewGuid();
        await _publisher.PublishAsync(new CounterStarted { CounterId = id, Label = label });
        await Eventually.HoldsAsync(async () => await LoadAsync(id) is not null, Deadline, $"counter {id} stored");
        return id;
    }

    private static string SagaQueue(IHost service) => service.Services.GetRequiredService<IEndpointNameFormatter>().Saga<CounterState>();

    private async Task<CounterState?> LoadAsync(Guid id)
    {
        await using var session = await CounterTable.Table.BeginSessionAsync(_database.DataSource, default);
        return await session.LoadAsync(id, default);
    }
}
