using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Scheduling;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.IntegrationTests.Persistence;

/// <summary>
/// The outbox and timer of a service wired as in production (<c>AddServiceDefaults</c>, in this
/// process, on a multi-host connection string) while the real PostgreSQL server restarts: a
/// message that falls due while it is down is published once it is back, exactly once, by the
/// dispatcher that kept going on its own.
/// </summary>
public sealed class ScheduledMessagesRestartTests : IAsyncLifetime
{
    private const string Schema = "restart_probe";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private PrivateServers _servers = null!;
    private WebApplication _service = null!;

    public async Task InitializeAsync()
    {
        _servers = await PrivateServers.CreateAsync();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(
            _servers.ServiceEnvironment(("Postgres__ConnectionString", TestDatabase.ForServices(_servers.Database.ClusterConnectionString)))
                .Select(setting => new KeyValuePair<string, string?>(setting.Key.Replace("__", ":", StringComparison.Ordinal), setting.Value)));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults(new ServiceDefinition("restart-probe", Schema, typeof(ScheduledMessagesRestartTests).Assembly));
        _service = builder.Build();
        await _service.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        await _service.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.StopAsync();
        await _service.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Fact]
    public async Task A_timer_that_falls_due_while_the_database_restarts_is_published_once_it_is_back_exactly_once()
    {
        await using var bus = await TestBus.StartAsync(_servers.VirtualHost.Environment);
        var published = await bus.CaptureDurablyAsync<HostRecovered>("restart-probe-host-recovered");
        var messages = _service.Services.GetRequiredService<ScheduledMessages>();

        // Due in the middle of the outage: stored now, published only after it.
        await messages.ScheduleAsync(new HostRecovered { HostId = "due-during-outage", RecoveredAt = DateTimeOffset.UtcNow }, DateTimeOffset.UtcNow.AddSeconds(2),
            CancellationToken.None);
        await PostgresServer.RestartAsync(TimeSpan.FromSeconds(4));

        await published.WaitForAsync(m => m.HostId == "due-during-outage", Timeout, "the timer that fell due during the outage");
        // A last one, due now: it leaves after any repeat of the first would have (they go out in due order).
        await messages.ScheduleAsync(new HostRecovered { HostId = "after", RecoveredAt = DateTimeOffset.UtcNow }, DateTimeOffset.UtcNow, CancellationToken.None);
        await published.WaitForAsync(m => m.HostId == "after", Timeout, "the timer stored after the restart");

        Assert.Single(published.Snapshot(), m => m.HostId == "due-during-outage");
        await using var connection = await _servers.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM {Schema}.scheduled_messages"));
    }
}
