using System.Text.RegularExpressions;

namespace CloudBus.Messages.Broker;

/// <summary>
/// What one service may do on the broker, as RabbitMQ's three permission regexes. A service owns
/// every queue and exchange whose name starts with its name (its endpoints, per-instance and
/// routed queues, their _error and _skipped queues); beyond those it may declare and publish to the
/// exchanges of the message types it publishes, bind from those it consumes, and send to the
/// command exchanges it is given. Nothing else: not another service's queues, not a command type
/// (commands are sent to the receiver's exchange, never published), not the default exchange.
/// </summary>
public sealed record ServicePermissions(string Service, IReadOnlyList<Type> Publishes, IReadOnlyList<Type> Consumes, IReadOnlyList<string> SendsTo)
{
    // MassTransit's fault exchanges: a consumer that fails publishes Fault<T>, an unreadable
    // message ReceiveFault. Shared by every service; nobody consumes them.
    private const string FaultExchanges = "MassTransit:(ReceiveFault|Fault(--.*--)?)";

    public string Configure => Pattern([.. Publishes, .. Consumes], SendsTo);

    public string Write => Pattern(Publishes, SendsTo);

    public string Read => Pattern(Consumes, []);

    /// <summary>The exchange MassTransit names after a message type: <c>CloudBus.Messages.Vms:StartVm</c>.</summary>
    public static string ExchangeOf(Type messageType) => $"{messageType.Namespace}:{messageType.Name}";

    private string Pattern(IEnumerable<Type> messageTypes, IEnumerable<string> exchanges)
    {
        var names = messageTypes.Select(ExchangeOf).Concat(exchanges).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(Regex.Escape);
        return $"^({Regex.Escape(Service)}-.*|{string.Join('|', names.Append(FaultExchanges))})$";
    }
}
