using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudBus.ServiceDefaults.Bus;

public static partial class BusRegistration
{
    /// <summary>Retries of a transiently failing message: with the backoff below, about 85 s in all.</summary>
    public const int TransientRetryLimit = 12;

    /// <summary>
    /// MassTransit on RabbitMQ from validated <see cref="RabbitMqOptions"/>. Queues are named after the
    /// service (for example <c>vm-lifecycle-host-registered</c>), so instances of one service compete
    /// on one queue while every service gets its own copy of each event.
    /// </summary>
    public static IServiceCollection AddCloudBusMessaging(
        this IServiceCollection services, ServiceIdentity identity, Action<IBusRegistrationConfigurator>? configureConsumers)
    {
        services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Start consuming before anything else runs: a message published before this instance's
        // queues are bound would otherwise miss them. A broker that stays away stops the start.
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddSingleton<ParkedMessageAlerts>();
        services.AddSingleton<QueueTypeConflictGuard>();
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<QueueTypeConflictGuard>());
        services.AddReceiveObserver(provider => provider.GetRequiredService<QueueTypeConflictGuard>());
        services.AddSingleton(provider => new QueueTypes(provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value.DurableQueueType));
        // The broker refusing this instance's messages for long restarts the bus (BrokerRefusals says why).
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BrokerRefusals>();
        services.AddPublishObserver(provider => provider.GetRequiredService<BrokerRefusals>());
        services.AddSendObserver(provider => provider.GetRequiredService<BrokerRefusals>());
        services.AddHostedService<BusRecycler>();
        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(identity.ServiceName, false));
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => context.GetRequiredService<QueueTypes>().Apply(endpoint));
            configureConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var nodes = options.ClusterNodeList();
                // On a cluster the first node names the bus in message addresses; connections go to
                // whichever node answers (UseCluster below).
                var (host, port) = nodes.Count > 0 ? (nodes[0].Host, nodes[0].Port) : (options.Host, options.Port);
                rabbit.Host(host, (ushort)port, options.VirtualHost, rabbitHost =>
                {
                    rabbitHost.Username(options.Username);
                    rabbitHost.Password(options.ReadPassword());
                    rabbitHost.ConnectionName(identity.InstanceId);
                    if (options.UseTls) BrokerTls.Apply(rabbitHost, options, host);
                    // Every node, so that losing the one this instance is connected to is a reconnect
                    // to another rather than an outage: MassTransit tries one node per connection
                    // attempt, in turn, and its connection retry moves on to the next.
                    if (nodes.Count > 0) rabbitHost.UseCluster(cluster => { foreach (var node in nodes) cluster.Node(node.ToString()); });
                    // A send or publish completes only once the broker has taken the message (for a
                    // quorum queue: a majority of its nodes has written it). Without confirms a message
                    // in flight when a node dies would be lost while the sender believes it sent.
                    // MassTransit's default today, set here so that nothing can turn it off unnoticed.
                    rabbitHost.PublisherConfirmation = true;
                });
                var broker = nodes.Count > 0 ? string.Join(", ", nodes) : $"{options.Host}:{options.Port}";
                var logger = context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BusRegistration));
                LogBroker(logger, broker, options.DurableQueueType, options.QueueType);
                // In-process retries only: this broker has no delayed-message plugin, so delayed
                // redelivery would wedge the queue. A database failover or broker reconnect takes
                // seconds to tens of seconds, so transient failures are retried with backoff for
                // about a minute and a half; anything else briefly. A message that still fails
                // goes to the endpoint's _error queue (nothing is lost) and raises an alert.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(TransientFailures.IsTransient);
                    retry.Exponential(TransientRetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
                });
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Ignore<Exception>(TransientFailures.IsTransient);
                    retry.Intervals(100, 500, 2000);
                });
                rabbit.ConnectReceiveObserver(context.GetRequiredService<ParkedMessageAlerts>());
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    [LoggerMessage(EventId = 153, Level = LogLevel.Information, Message = "Broker: {Nodes}; durable queues are {QueueType} (RabbitMq:QueueType {Configured})")]
    private static partial void LogBroker(ILogger logger, string nodes, RabbitMqQueueType queueType, RabbitMqQueueType configured);
}
