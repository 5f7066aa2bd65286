using System.Runtime.Serialization;
using CloudBus.ServiceDefaults.Bus;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace CloudBus.UnitTests.ServiceDefaults.Bus;

/// <summary>
/// Which receive faults park nothing, from the exceptions the chaos benchmark logged with the
/// parked-message alert while every error queue stayed empty.
/// </summary>
public sealed class DeliveryInterruptionTests
{
    private static readonly ShutdownEventArgs ChannelGone = new(ShutdownInitiator.Library, 491,
        "Channel is already closed: AMQP close-reason, initiated by Library, code=541, text='Unexpected Exception'");

    [Fact]
    public void A_channel_closed_under_the_delivery_is_an_interruption()
    {
        Assert.True(DeliveryInterruption.Explains(new OperationInterruptedException(ChannelGone)));
        Assert.True(DeliveryInterruption.Explains(new AlreadyClosedException(ChannelGone)));
    }

    [Fact]
    public void A_receive_cancelled_while_its_endpoint_stops_is_an_interruption()
    {
        Assert.True(DeliveryInterruption.Explains(new TaskCanceledException()));
        Assert.True(DeliveryInterruption.Explains(new AggregateException(new OperationCanceledException(), new AlreadyClosedException(ChannelGone))));
    }

    [Fact]
    public void A_message_that_cannot_be_read_is_not()
    {
        Assert.False(DeliveryInterruption.Explains(new SerializationException("Unexpected character encountered while parsing value: n")));
        Assert.False(DeliveryInterruption.Explains(new AggregateException(new OperationCanceledException(), new SerializationException("bad"))));
        Assert.False(DeliveryInterruption.Explains(null));
    }
}
