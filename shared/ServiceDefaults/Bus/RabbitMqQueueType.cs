namespace CloudBus.ServiceDefaults.Bus;

/// <summary>Which RabbitMQ queue type the services' durable queues are declared with (<c>RabbitMq:QueueType</c>).</summary>
public enum RabbitMqQueueType
{
    /// <summary>Quorum on a cluster (<c>RabbitMq:ClusterNodes</c> lists two nodes or more), classic on a single node.</summary>
    Auto,

    /// <summary>Quorum queues: replicated on the cluster's nodes with Raft; a lost node loses no message.</summary>
    Quorum,

    /// <summary>Classic queues: on one node only. For a single development node.</summary>
    Classic,
}
