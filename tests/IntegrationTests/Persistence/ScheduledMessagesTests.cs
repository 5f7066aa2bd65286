using System.Collections.Concurrent;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Scheduling;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.IntegrationTests.Persistence;

/// <summary>The outbox and timer on the real database: published once, only if committed, not before due.</summary>
public sealed class ScheduledMessagesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentBag<HostRecovered> _published = [];
    private readonly ConcurrentBag<DueMessage> _delivered = [];
    private TestDatabase _database = null!;
    private ScheduledMessages _messages = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await new MigrationRunner(_database.DataSource, "outbox_test", []).MigrateAsync(CancellationToken.None);
        _messages = new ScheduledMessages(_database.DataSource, "outbox_test", _clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private Task Publish(DueMessage due)
    {
        _published.Add((HostRecovered)due.Message);
        _delivered.Add(due);
        return Task.CompletedTask;
    }

    private async Task EnqueueAsync(string hostId, DateTimeOffset? dueAt = null, bool commit = true)
    {
        await using var work = await UnitOfWork.BeginAsync(_database.DataSource, _messages, default);
        await work.PublishAsync(new HostRecovered { HostId = hostId, RecoveredAt = _clock.GetUtcNow() }, dueAt);
        if (commit) await work.CommitAsync(default); // else disposing rolls it back
    }

    [Fact]
    public async Task A_message_is_published_once_and_only_if_its_transaction_committed()
    {
        await EnqueueAsync("committed");
        await EnqueueAsync("rolled-back", commit: false);

        var (published, nextDue) = await _messages.DispatchDueAsync(Publish, 100, default);
        await _messages.DispatchDueAsync(Publish, 100, default);

        Assert.Equal(1, published);
        Assert.Null(nextDue);
        Assert.Equal(["committed"], _published.Select(m => m.HostId));
    }

    [Fact]
    public async Task A_message_for_one_queue_is_delivered_there_and_every_delivery_carries_its_rows_id()
    {
        var queue = new Uri("exchange:somewhere");
        await using (var work = await UnitOfWork.BeginAsync(_database.DataSource, _messages, default))
        {
            await work.SendAsync(queue, new HostRecovered { HostId = "sent", RecoveredAt = _clock.GetUtcNow() });
            await work.PublishAsync(new HostRecovered { HostId = "published", RecoveredAt = _clock.GetUtcNow() });
            await work.CommitAsync(default);
        }

        await _messages.DispatchDueAsync(Publish, 100, default);

        var delivered = _delivered.ToDictionary(d => ((HostRecovered)d.Message).HostId);
        Assert.Equal((queue, (Uri?)null), (delivered["sent"].Destination, delivered["published"].Destination));
        Assert.NotEqual(delivered["sent"].MessageId, delivered["published"].MessageId);
        Assert.All(delivered.Values, d => Assert.NotEqual(Guid.Empty, d.MessageId));
    }

    [Fact]
    public async Task A_command_stored_for_a_queue_address_goes_to_the_exchange_of_that_queue_after_the_next_start()
    {
        // Written by a version that still addressed commands as queue:NAME, which a sender cannot
        // use for a quorum queue; a timer may wait in the table across the upgrade.
        await using (var work = await UnitOfWork.BeginAsync(_database.DataSource, _messages, default))
        {
            await work.SendAsync(new Uri("queue:vm-lifecycle-commands"), new HostRecovered { HostId = "old", RecoveredAt = _clock.GetUtcNow() });
            await work.CommitAsync(default);
        }

        await new MigrationRunner(_database.DataSource, "outbox_test", []).MigrateAsync(CancellationToken.None);
        await _messages.DispatchDueAsync(Publish, 100, default);

        Assert.Equal(new Uri("exchange:vm-lifecycle-commands"), Assert.Single(_delivered).Destination);
    }

    [Fact]
    public async Task A_timer_fires_when_due_and_not_before()
    {
        await EnqueueAsync("later", dueAt: _clock.GetUtcNow().AddSeconds(10));

        var (published, nextDue) = await _messages.DispatchDueAsync(Publish, 100, default);
        Assert.Equal((0, _clock.GetUtcNow().AddSeconds(10)), (published, nextDue));

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await _messages.DispatchDueAsync(Publish, 100, default)).Published);
        Assert.Equal(["later"], _published.Select(m => m.HostId));
    }

    [Fact]
    public async Task Dispatchers_racing_publish_every_message_exactly_once()
    {
        for (var i = 0; i < 300; i++) await EnqueueAsync($"host-{i}");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while ((await _messages.DispatchDueAsync(Publish, 25, default)).Published > 0) { }
        }));

        Assert.Equal(300, _published.Count);
        Assert.Equal(300, _published.Select(m => m.HostId).Distinct().Count());
    }

    [Fact]
    public async Task An_unreadable_message_is_parked_with_the_reason_and_does_not_block_the_others()
    {
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                INSERT INTO outbox_test.scheduled_messages (message_id, due_at, message_type, payload)
                VALUES (gen_random_uuid(), @due, 'No.Such.Type, Nowhere', '{}')
                """, new { due = _clock.GetUtcNow().AddSeconds(-1) });
        await EnqueueAsync("fine");

        await _messages.DispatchDueAsync(Publish, 100, default);

        Assert.Equal(["fine"], _published.Select(m => m.HostId));
        await using var check = await _database.DataSource.OpenConnectionAsync();
        Assert.Equal("cannot read a No.Such.Type, Nowhere: no such type", await check.ExecuteScalarAsync<string>("SELECT parked_why FROM outbox_test.scheduled_messages"));
    }

    [Theory]
    [InlineData("""{"hostId": 5}""", null, "cannot read a CloudBus.Messages.Hosts.HostRecovered")]
    [InlineData("""{"hostId": "h", "recoveredAt": "yesterday"}""", null, "cannot read a CloudBus.Messages.Hosts.HostRecovered")]
    [InlineData("""{"hostId": "h", "recoveredAt": "2026-01-01T00:00:00Z"}""", "not a destination", "cannot send to 'not a destination'")]
    public async Task A_row_of_a_known_type_that_cannot_be_decoded_is_parked_and_does_not_block_the_others(string payload, string? destination, string why)
    {
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                INSERT INTO outbox_test.scheduled_messages (message_id, due_at, message_type, payload, destination)
                VALUES (gen_random_uuid(), @due, @type, @payload::jsonb, @destination)
                """, new { due = _clock.GetUtcNow().AddSeconds(-1), type = $"{typeof(HostRecovered).FullName}, {typeof(HostRecovered).Assembly.GetName().Name}", payload, destination });
        await EnqueueAsync("fine");

        await _messages.DispatchDueAsync(Publish, 100, default);

        Assert.Equal(["fine"], _published.Select(m => m.HostId));
        await using var check = await _database.DataSource.OpenConnectionAsync();
        Assert.StartsWith(why, await check.ExecuteScalarAsync<string>("SELECT parked_why FROM outbox_test.scheduled_messages"), StringComparison.Ordinal);
    }
}
