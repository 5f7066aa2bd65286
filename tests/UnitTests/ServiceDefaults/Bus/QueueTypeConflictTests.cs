using CloudBus.ServiceDefaults.Bus;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace CloudBus.UnitTests.ServiceDefaults.Bus;

/// <summary>RabbitMQ's refusal of a queue of another type, read from the reply texts RabbitMQ 3.10 gives.</summary>
public sealed class QueueTypeConflictTests
{
    private const string ClassicExists =
        "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'vm-lifecycle-commands' in vhost 'cloudbus': " +
        "received the value 'quorum' of type 'longstr' but current is none";

    private const string QuorumExists =
        "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'host-monitor-host-registered_error' in vhost '/': " +
        "received none but current is the value 'quorum' of type 'longstr'";

    [Fact]
    public void A_classic_queue_declared_as_quorum_is_read_with_both_types()
    {
        Assert.Equal(new QueueTypeConflict("vm-lifecycle-commands", "classic", "quorum"), QueueTypeConflict.Parse(ClassicExists));
    }

    [Fact]
    public void A_quorum_queue_declared_without_a_type_is_read_as_declared_classic()
    {
        Assert.Equal(new QueueTypeConflict("host-monitor-host-registered_error", "quorum", "classic"), QueueTypeConflict.Parse(QuorumExists));
    }

    [Fact]
    public void Another_inequivalent_argument_is_no_queue_type_conflict()
    {
        Assert.Null(QueueTypeConflict.Parse(
            "PRECONDITION_FAILED - inequivalent arg 'x-expires' for queue 'q' in vhost '/': received none but current is the value '600000' of type 'long'"));
    }

    [Fact]
    public void The_conflict_is_found_inside_the_exceptions_MassTransit_wraps_it_in()
    {
        var refused = new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 406, ClassicExists, 50, 10));
        var wrapped = new AggregateException(new InvalidOperationException("ReceiveTransport faulted", refused));

        Assert.Equal("vm-lifecycle-commands", QueueTypeConflict.In(wrapped)?.Queue);
        Assert.Null(QueueTypeConflict.In(new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED"))));
        Assert.Null(QueueTypeConflict.In(null));
    }

    [Fact]
    public void The_explanation_names_the_queue_and_both_ways_out()
    {
        var explanation = QueueTypeConflict.Parse(ClassicExists)!.Explain(RabbitMqQueueType.Auto);

        Assert.Contains("RabbitMQ refused queue 'vm-lifecycle-commands': it exists as a classic queue, and this service declares it as a quorum queue", explanation);
        Assert.Contains("delete 'vm-lifecycle-commands' (and its 'vm-lifecycle-commands_error' and 'vm-lifecycle-commands_skipped' queues, if any)", explanation);
        Assert.Contains("or set RabbitMq__QueueType=Classic", explanation);
    }

    [Fact]
    public void The_explanation_for_an_error_queue_does_not_send_the_operator_to_its_own_error_queue()
    {
        var explanation = QueueTypeConflict.Parse(QuorumExists)!.Explain(RabbitMqQueueType.Classic);

        Assert.DoesNotContain("_error_error", explanation);
        Assert.Contains("or set RabbitMq__QueueType=Quorum", explanation);
    }
}
