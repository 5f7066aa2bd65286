using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CloudBus.IntegrationTests.ControlPlaneHa;

/// <summary>
/// A raw RabbitMQ client that publishes with confirms and, when its node is lost, connects again
/// to whichever of the known nodes answers: the way MassTransit's transport recovers.
/// </summary>
internal sealed class ConfirmedPublisher(ConnectionFactory factory, IReadOnlyList<AmqpTcpEndpoint> endpoints) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;

    public IChannel Channel => _channel ?? throw new InvalidOperationException("not connected");

    /// <summary>The broker port of the node this publisher is connected to.</summary>
    public int Port => _connection?.Endpoint.Port ?? throw new InvalidOperationException("not connected");

    public static async Task<ConfirmedPublisher> ConnectAsync(ConnectionFactory factory, IReadOnlyList<AmqpTcpEndpoint> endpoints)
    {
        var publisher = new ConfirmedPublisher(factory, endpoints);
        await publisher.OpenAsync();
        return publisher;
    }

    /// <summary>Drops the current connection and opens a new one; false while no node takes it.</summary>
    public async Task<bool> TryReconnectAsync()
    {
        await CloseAsync();
        try
        {
            await OpenAsync();
            return true;
        }
        catch (BrokerUnreachableException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    private async Task OpenAsync()
    {
        // The client tries the endpoints in turn until one accepts the connection.
        _connection = await factory.CreateConnectionAsync(endpoints, "ha-servers-test");
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    }

    private async Task CloseAsync()
    {
        // The node may already be gone: whatever closing throws says nothing new.
        if (_channel is not null) await Quietly(_channel.DisposeAsync);
        if (_connection is not null) await Quietly(_connection.DisposeAsync);
        _channel = null;
        _connection = null;
    }

    private static async Task Quietly(Func<ValueTask> close)
    {
        try
        {
            await close();
        }
        catch (Exception exception) when (exception is RabbitMQClientException or IOException or OperationCanceledException)
        {
        }
    }
}
