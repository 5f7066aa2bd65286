using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults.Sagas;
using Dapper;
using MassTransit;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>The saga table on the real database: inserts never overwrite, writes check the version they read.</summary>
public sealed class PostgresSagaSessionTests : IAsyncLifetime
{
    private static readonly PostgresSagaTable<CounterState> Table = CounterTable.Table;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await CounterTable.MigrateAsync(_database.DataSource);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task A_new_saga_is_stored_as_version_1_with_its_state_and_loads_back()
    {
        var id = Guid.NewGuid();
        await InSessionAsync(s => s.InsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting", Count = 3, Label = "a" }, default));

        var loaded = await LoadAsync(id);
        Assert.NotNull(loaded);
        Assert.Equal((1, "Counting", 3, "a"), (loaded.Version, loaded.CurrentState, loaded.Count, loaded.Label));
        Assert.Equal((1, "Counting"), await ColumnsAsync(id));
    }

    [Fact]
    public async Task Loading_an_id_that_was_never_stored_finds_nothing()
    {
        Assert.Null(await LoadAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task An_update_saves_the_new_state_and_bumps_the_version()
    {
        var id = await InsertedAsync();

        await InSessionAsync(async s =>
        {
            var saga = (await s.LoadAsync(id, default))!;
            saga.Count = 7;
            saga.CurrentState = "Final";
            await s.UpdateAsync(saga, default);
            Assert.Equal(2, saga.Version);
        });

        var loaded = (await LoadAsync(id))!;
        Assert.Equal((2, 7, "Final"), (loaded.Version, loaded.Count, loaded.CurrentState));
        Assert.Equal((2, "Final"), await ColumnsAsync(id));
    }

    [Fact]
    public async Task An_update_of_a_stale_version_is_refused_and_the_winner_is_kept()
    {
        var id = await InsertedAsync();
        var stale = (await LoadAsync(id))!;
        var winner = (await LoadAsync(id))!;
        winner.Count = 1;
        await InSessionAsync(s => s.UpdateAsync(winner, default));

        stale.Count = 100;
        var refused = await Assert.ThrowsAsync<ConcurrencyException>(() => InSessionAsync(s => s.UpdateAsync(stale, default)));

        Assert.Equal(id, refused.CorrelationId);
        Assert.Equal(1, stale.Version); // left as loaded, so nothing pretends the write happened
        Assert.Equal((2, 1), await VersionAndCountAsync(id));
    }

    [Fact]
    public async Task An_insert_of_an_existing_id_is_refused_and_does_not_overwrite()
    {
        var id = await InsertedAsync(count: 5);

        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            InSessionAsync(s => s.InsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting", Count = 99 }, default)));

        Assert.Equal((1, 5), await VersionAndCountAsync(id));
    }

    [Fact]
    public async Task Of_two_concurrent_inserts_of_one_id_the_second_waits_for_the_first_and_is_refused()
    {
        var id = Guid.NewGuid();
        await using var first = await Table.BeginSessionAsync(_database.DataSource, default);
        await first.InsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting", Count = 1 }, default);

        // The second insert blocks on the first's uncommitted row, then finds it committed.
        var second = InSessionAsync(s => s.InsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting", Count = 2 }, default));
        await first.CommitAsync(default);

        await Assert.ThrowsAsync<ConcurrencyException>(() => second);
        Assert.Equal((1, 1), await VersionAndCountAsync(id));
    }

    [Fact]
    public async Task A_rolled_back_insert_leaves_the_id_free()
    {
        var id = Guid.NewGuid();
        await using (var session = await Table.BeginSessionAsync(_database.DataSource, default))
            await session.InsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting" }, default);

        Assert.Null(await LoadAsync(id));
        await InSessionAsync(s => s.InsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting" }, default));
        Assert.NotNull(await LoadAsync(id));
    }

    [Fact]
    public async Task A_delete_removes_the_row_but_not_when_the_saga_changed_since_it_was_loaded()
    {
        var kept = await InsertedAsync();
        var stale = (await LoadAsync(kept))!;
        var changed = (await LoadAsync(kept))!;
        await InSessionAsync(s => s.UpdateAsync(changed, default));
        await Assert.ThrowsAsync<ConcurrencyException>(() => InSessionAsync(s => s.DeleteAsync(stale, default)));
        Assert.NotNull(await LoadAsync(kept));

        var deleted = await InsertedAsync();
        await InSessionAsync(async s => await s.DeleteAsync((await s.LoadAsync(deleted, default))!, default));
        Assert.Null(await LoadAsync(deleted));
    }

    private async Task InSessionAsync(Func<PostgresSagaSession<CounterState>, Task> work)
    {
        await using var session = await Table.BeginSessionAsync(_database.DataSource, default);
        await work(session);
        await session.CommitAsync(default);
    }

    private async Task<Guid> InsertedAsync(int count = 0)
    {
        var id = Guid.NewGuid();
        await InSessionAsync(s => s.InsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting", Count = count }, default));
        return id;
    }

    private async Task<CounterState?> LoadAsync(Guid id)
    {
        await using var session = await Table.BeginSessionAsync(_database.DataSource, default);
        return await session.LoadAsync(id, default);
    }

    private async Task<(int Version, int Count)> VersionAndCountAsync(Guid id)
    {
        var saga = await LoadAsync(id) ?? throw new InvalidOperationException($"counter {id} is gone");
        return (saga.Version, saga.Count);
    }

    /// <summary>The columns operators query, read straight from the table.</summary>
    private async Task<(int Version, string CurrentState)> ColumnsAsync(Guid id)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int, string)>(
            "SELECT version, current_state FROM saga_test.counters WHERE correlation_id = @id", new { id });
    }
}
