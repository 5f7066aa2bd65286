namespace CloudBus.ServiceDefaults.Bus;

/// <summary>
/// A bound on how long a publish or send waits for the broker's confirm. RabbitMQ.Client 7.2.2 (what
/// MassTransit 8.5.12 uses, and the newest release) can leave a confirm pending for ever when the
/// connection dies with the message in flight, as when a broker node is killed (rabbitmq-dotnet-client
/// issues 1930 and 1960, fixed after 7.2.2). The bus reconnects to another node, but the publish that
/// was waiting never returns, and neither does the loop that made it: seen on a 3-node cluster, where
/// NodeRegistry's outbox and membership rounds stopped for good at the kill. Past the bound the publish
/// fails with a <see cref="TimeoutException"/> (transient), and the loop tries again on the new
/// connection; a message that did arrive is then sent twice, which receivers already allow (the outbox
/// keeps its message id).
/// </summary>
public static class ConfirmWait
{
    /// <summary>Far beyond a confirm's usual milliseconds, short enough for a loop to carry on soon.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="publish"/> with a token cancelled by <paramref name="cancellationToken"/> or after <paramref name="limit"/>.</summary>
    /// <param name="what">What is published, for the timeout's message.</param>
    /// <exception cref="TimeoutException">The limit passed first.</exception>
    public static async Task WithinAsync(
        TimeSpan limit, TimeProvider clock, string what, Func<CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(limit, clock);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await publish(bounded.Token);
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The broker did not confirm {what} within {limit.TotalSeconds:0.#} s; it is sent again (a connection lost with it in flight leaves its confirm pending for ever).");
        }
    }
}
