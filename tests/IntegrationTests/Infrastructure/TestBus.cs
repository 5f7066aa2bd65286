using MassTransit;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>A bare bus on a stack's virtual host, for a test that must put a message on a queue itself.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(IBusControl bus) => _bus = bus;

    public static async Task<TestBus> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(environment["RabbitMq__Host"], ushort.Parse(environment["RabbitMq__Port"]),
            environment["RabbitMq__VirtualHost"], host =>
            {
                host.Username(environment["RabbitMq__Username"]);
                host.Password(File.ReadAllText(environment["RabbitMq__PasswordFile"]).Trim());
            }));
        await bus.StartAsync();
        return new TestBus(bus);
    }

    /// <param name="address">A MassTransit address, for example <c>exchange:host-monitor-1a2b3c4d-routed</c>.</param>
    public async Task SendAsync<T>(string address, T message) where T : class =>
        await (await _bus.GetSendEndpoint(new Uri(address))).Send(message);

    public Task PublishAsync<T>(T message) where T : class => _bus.Publish(message);

    /// <summary>
    /// Sends <paramref name="command"/> to <paramref name="address"/> and waits for the event that
    /// announces its end (the services answer by publishing, never by replying to an address).
    /// </summary>
    public async Task<TEvent> SendAndAwaitAsync<TCommand, TEvent>(Uri address, TCommand command, Func<TEvent, bool> endsIt)
        where TCommand : class where TEvent : class
    {
        var events = await CaptureAsync<TEvent>();
        await (await _bus.GetSendEndpoint(address)).Send(command);
        return (await events.WaitForAsync(endsIt, TimeSpan.FromSeconds(30), $"the {typeof(TEvent).Name} that ends the {typeof(TCommand).Name}"))[^1];
    }

    /// <summary>
    /// Records every <typeparamref name="T"/> published from now on (a temporary queue of its own),
    /// so a test can assert on a state that lasts only a moment instead of hoping to poll it in time.
    /// </summary>
    public async Task<EventLog<T>> CaptureAsync<T>() where T : class
    {
        var log = new EventLog<T>();
        var handle = _bus.ConnectReceiveEndpoint(endpoint => endpoint.Handler<T>(context =>
        {
            log.Add(context.Message);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        return log;
    }

    /// <summary>
    /// Like <see cref="CaptureAsync{T}"/>, on a durable queue named <paramref name="queue"/>: what is
    /// published while this bus's connection is down (a broker outage) waits there for it.
    /// </summary>
    public async Task<EventLog<T>> CaptureDurablyAsync<T>(string queue) where T : class
    {
        var log = new EventLog<T>();
        var handle = _bus.ConnectReceiveEndpoint(queue, endpoint => endpoint.Handler<T>(context =>
        {
            log.Add(context.Message);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        return log;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
