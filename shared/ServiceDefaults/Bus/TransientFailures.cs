using MassTransit;
using Npgsql;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// "Would this work if tried again in a while?" A database that is restarting or failing over, or
/// a broker connection being re-established, goes away for seconds to tens of seconds; a message
/// that hit it is retried with backoff long enough to outlast that. Anything else (bad data, a bug,
/// a lost optimistic-concurrency race) is retried briefly and then parked in the error queue.
/// </summary>
public static class TransientFailures
{
    /// <summary>Database errors that say "not now" rather than "never": the server is shutting down, starting, or refusing connections.</summary>
    private static readonly HashSet<string> NotNowStates =
    [
        "55000", // object_not_in_prerequisite_state: "database ... is not currently accepting connections"
        "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now (starting up)
        "25006", // read_only_sql_transaction: connected to a standby that has not been promoted yet, or a demoted primary
    ];

    /// <summary>
    /// What Npgsql's multi-host data source (a connection string naming several hosts) says, with
    /// no inner exception and no error code, while no listed host qualifies: each is down or was
    /// just seen failing (it is skipped for <c>Host Recheck Seconds</c>), or none is the primary yet
    /// during a failover. Npgsql does not count it as transient; it is exactly the failover this
    /// class is for. The text is Npgsql's (NpgsqlMultiHostDataSource); a unit test holds it to the
    /// real data source, so an Npgsql upgrade that changes it fails a test instead of parking messages.
    /// </summary>
    private const string NoSuitableHost = "No suitable host was found.";

    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient || NotNowStates.Contains(postgres.SqlState),
        // Npgsql's own verdict covers a broken socket (IOException, SocketException, timeout). With
        // several hosts, "Unable to connect to a suitable host" carries each host's failure in an
        // AggregateException, which Npgsql does not look into: it is transient when each of them is.
        NpgsqlException npgsql => npgsql.IsTransient
                                  || npgsql is { InnerException: null, Message: NoSuitableHost }
                                  || npgsql.InnerException is { } inner && IsTransient(inner),
        TimeoutException => true,
        RabbitMqConnectionException => true,
        RabbitMQ.Client.Exceptions.BrokerUnreachableException => true,
        RabbitMQ.Client.Exceptions.AlreadyClosedException => true,
        RabbitMQ.Client.Exceptions.OperationInterruptedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
