namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The RabbitMQ a test's virtual host lives on: the one node ./test.sh starts
/// (<see cref="TestServers.Broker"/>), or a cluster (<see cref="HaServers"/>).
/// </summary>
/// <param name="Port">The AMQP port of the node clients try first.</param>
/// <param name="ManagementPort">The management API of a node that answers.</param>
/// <param name="ClusterNodes">host:port of every node of a cluster, comma-separated, as <c>RabbitMq__ClusterNodes</c>; null for one node.</param>
/// <param name="PasswordFile">The file holding the password (mode 600), as services are given it.</param>
public sealed record TestBroker(string Host, int Port, int ManagementPort, string Username, string PasswordFile, string? ClusterNodes = null)
{
    /// <summary>The password itself, for the tests' own clients.</summary>
    public string Password => File.ReadAllText(PasswordFile).Trim();
}
