using CloudBus.Messages.Routing;
using CloudBus.Ring;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// At start, asks NodeRegistry for the current ring instead of waiting for the next change, and
/// keeps asking (NodeRegistry may be starting too) until a ring is known.
/// </summary>
internal sealed partial class RingBootstrapService(
    RingHolder ring, RingUpdater updater, IBus bus, TimeProvider clock, ILogger<RingBootstrapService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var retry = new PeriodicTimer(RetryInterval, clock);
        var requests = bus.CreateRequestClient<GetRing>();
        while (ring.Current.Epoch == 0)
        {
            try
            {
                var response = await requests.GetResponse<RingChanged>(new GetRing { Service = ring.Service }, stoppingToken, RequestTimeout.After(s: 5));
                await updater.ApplyAsync(response.Message);
            }
            catch (RequestTimeoutException)
            {
                LogNoAnswer(ring.Service);
            }
            if (ring.Current.Epoch == 0 && !await retry.WaitForNextTickAsync(stoppingToken)) return;
        }
    }

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "NodeRegistry has not answered for the ring of {Service} yet; asking again")]
    private partial void LogNoAnswer(string service);
}
