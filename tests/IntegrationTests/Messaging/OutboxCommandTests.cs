using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>
/// Commands leave the outbox for the exchange their receiver binds to its queue. Before that queue
/// exists (its service never started on this virtual host, or the queue was deleted to change its
/// type) RabbitMQ would drop them; they must wait in the outbox instead.
/// </summary>
public sealed class OutboxCommandTests : IAsyncLifetime
{
    private PrivateServers _servers = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _servers = await PrivateServers.CreateAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(_servers.ServiceEnvironment().ToDictionary(e => e.Key.Replace("__", ":"), e => (string?)e.Value));
        builder.AddServiceDefaults(new ServiceDefinition("outbox-test", "outbox_test", typeof(OutboxCommandTests).Assembly));
        _app = builder.Build();
        await _app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Fact]
    public async Task A_command_for_a_queue_that_does_not_exist_yet_waits_in_the_outbox_and_arrives_once_the_queue_is_there()
    {
        await using (var work = await _app.Services.GetRequiredService<UnitsOfWork>().BeginAsync(CancellationToken.None))
        {
            await work.SendAsync(new Uri("exchange:late-receiver"), new HostRecovered { HostId = "late", RecoveredAt = DateTimeOffset.UtcNow });
            await work.CommitAsync(CancellationToken.None);
        }

        // RabbitMQ returned it, nothing being bound: the outbox did send it, and did not lose it.
        await Eventually.HoldsAsync(async () => await _servers.VirtualHost.ReturnedUnroutableAsync() >= 1,
            TimeSpan.FromSeconds(30), "the command returned for want of a queue");
        await using var receiver = await TestBus.StartAsync(_servers.ServiceEnvironment());
        var arrived = await receiver.CaptureDurablyAsync<HostRecovered>("late-receiver");

        await arrived.WaitForAsync(command => command.HostId == "late", TimeSpan.FromSeconds(30), "the command, once its queue exists");
    }
}
