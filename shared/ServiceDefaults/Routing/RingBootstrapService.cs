using CloudBus.Messages.Routing;
using CloudBus.ServiceDefaults.Bus;
using CloudBus.Ring;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// At start, asks NodeRegistry to announce the current ring instead of waiting for the next
/// change, and keeps asking (NodeRegistry may be starting too) until a ring is known. The answer
/// is the ordinary RingChanged event, never a reply to this instance's address: a reply to an
/// instance that died meanwhile would fault the responder's channel.
/// </summary>
internal sealed partial class RingBootstrapService(RingHolder ring, IBus bus, TimeProvider clock, ILogger<RingBootstrapService> logger) : BackgroundService
{
    private static readonly TimeSpan AskEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var asking = AskingAgain.UntilAnswered(AskEvery, clock, (asked, failure) =>
        {
            if (failure is not null) LogAskFailed(failure, ring.Service);
            // Every 5 s without an answer, say so once.
            if (asked % 5 == 0) LogNoAnswer(ring.Service, asked);
        });
        await asking.ExecuteAsync(async token =>
        {
            if (ring.Current.Epoch != 0) return true;
            await ConfirmWait.WithinAsync(ConfirmWait.DefaultLimit, clock, nameof(GetRing), bounded => bus.Publish(new GetRing { Service = ring.Service }, bounded), token);
            await Task.Delay(AskEvery, clock, token);
            return ring.Current.Epoch != 0;
        }, stoppingToken);
    }

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "The ring of {Service} is not known yet after asking {Times} times; asking again")]
    private partial void LogNoAnswer(string service, int times);

    [LoggerMessage(EventId = 126, Level = LogLevel.Warning, Message = "Could not ask for the ring of {Service}; asking again")]
    private partial void LogAskFailed(Exception exception, string service);
}
