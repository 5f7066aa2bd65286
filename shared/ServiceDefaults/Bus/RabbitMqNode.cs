using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>One node of a RabbitMQ cluster, as listed in <c>RabbitMq:ClusterNodes</c>.</summary>
public sealed record RabbitMqNode(string Host, int Port)
{
    /// <summary>
    /// Reads <c>host</c> or <c>host:port</c> (a node without a port listens on <paramref name="defaultPort"/>).
    /// MassTransit splits a node's address at its colon, so an IPv6 literal is refused: give such a
    /// node a host name.
    /// </summary>
    public static bool TryParse(string text, int defaultPort, [NotNullWhen(true)] out RabbitMqNode? node)
    {
        node = null;
        var parts = text.Trim().Split(':');
        var host = parts[0];
        if (host.Length == 0 || host.Any(char.IsWhiteSpace)) return false;
        var port = defaultPort;
        if (parts.Length > 2 || parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out port)) return false;
        if (port is < 1 or > 65535) return false;
        node = new RabbitMqNode(host, port);
        return true;
    }

    /// <summary><c>host:port</c>, as MassTransit's cluster configuration takes it.</summary>
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
