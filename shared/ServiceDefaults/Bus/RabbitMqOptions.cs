using System.ComponentModel.DataAnnotations;
using CloudBus.Security;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>Where the broker is. Bound from the <c>RabbitMq</c> section (env: <c>RabbitMq__Host</c>, ...).</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "RabbitMq";

    /// <value>Broker host name of a single node. Default <c>127.0.0.1</c>. Not used when <see cref="ClusterNodes"/> is set.</value>
    [Required] public string Host { get; set; } = "127.0.0.1";

    /// <value>AMQP port of <see cref="Host"/>, and of a cluster node listed without one. Default 5672.</value>
    [Range(1, 65535)] public int Port { get; set; } = 5672;

    /// <value>
    /// Every node of a RabbitMQ cluster, comma-separated <c>host:port</c> (a node without a port uses
    /// <see cref="Port"/>). Empty (default): the single node at <see cref="Host"/>. The client tries the
    /// nodes in turn, one per connection attempt, so losing its node is a reconnect to the next one.
    /// </value>
    public string ClusterNodes { get; set; } = "";

    /// <value>
    /// The type of the services' durable queues. Default <see cref="RabbitMqQueueType.Auto"/>: quorum
    /// when <see cref="ClusterNodes"/> lists two nodes or more, classic otherwise.
    /// </value>
    [EnumDataType(typeof(RabbitMqQueueType), ErrorMessage = "RabbitMq:QueueType must be Auto, Quorum or Classic (env RabbitMq__QueueType).")]
    public RabbitMqQueueType QueueType { get; set; } = RabbitMqQueueType.Auto;

    /// <value>Virtual host. Default <c>/</c>.</value>
    [Required] public string VirtualHost { get; set; } = "/";

    /// <value>User name. Required: there is no safe default account.</value>
    [Required(ErrorMessage = "RabbitMq:Username is required (env RabbitMq__Username).")]
    public string Username { get; set; } = "";

    /// <value>
    /// The file holding the password (mode 600, see <see cref="SecretFile"/>). Required: a password
    /// in an environment variable or on a command line is readable by more than the service.
    /// </value>
    [Required(ErrorMessage = "RabbitMq:PasswordFile is required (env RabbitMq__PasswordFile): the file (mode 600) holding the broker password.")]
    public string PasswordFile { get; set; } = "";

    /// <value>
    /// Whether to speak AMQP over TLS (AMQPS, usually port 5671): the broker's certificate must be
    /// valid for <see cref="TlsServerName"/> and issued by <see cref="TlsCaFile"/>'s CA, or by one
    /// the machine trusts when no CA file is given. Default false.
    /// </value>
    public bool UseTls { get; set; }

    /// <value>The CA (PEM) the broker's certificate must be issued by, instead of the machine's roots. Optional.</value>
    public string? TlsCaFile { get; set; }

    /// <value>The name the broker's certificate must carry. Default: the host connected to.</value>
    public string? TlsServerName { get; set; }

    /// <value>
    /// How long the broker may refuse this instance's messages (negative confirms on a live
    /// connection) before the bus is stopped and started on new connections (<see cref="BusRecycler"/>).
    /// Default 15 s: longer than the refusals of a node failover, short against HA's own deadlines.
    /// </value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "RabbitMq:RecycleAfterRefusalsFor must be between 1 s and 10 min.")]
    public TimeSpan RecycleAfterRefusalsFor { get; set; } = TimeSpan.FromSeconds(15);

    /// <value>Not read: only here so that a password given the old way is refused with a message that says what to do.</value>
    public string? Password { get; set; }

    /// <summary>The password, read from <see cref="PasswordFile"/> (on validated options).</summary>
    public string ReadPassword() => SecretFile.Read(PasswordFile, "RabbitMq:PasswordFile");

    /// <summary>The nodes of <see cref="ClusterNodes"/> (empty for a single node). Call on validated options only.</summary>
    public IReadOnlyList<RabbitMqNode> ClusterNodeList() =>
        ClusterNodeEntries().Select(entry => RabbitMqNode.TryParse(entry, Port, out var node)
            ? node
            : throw new InvalidOperationException($"RabbitMq:ClusterNodes has a bad entry '{entry}'.")).ToList();

    /// <summary>What <see cref="QueueType"/> comes to: <see cref="RabbitMqQueueType.Auto"/> resolved.</summary>
    public RabbitMqQueueType DurableQueueType => QueueType switch
    {
        RabbitMqQueueType.Auto => ClusterNodeEntries().Length >= 2 ? RabbitMqQueueType.Quorum : RabbitMqQueueType.Classic,
        _ => QueueType,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Password))
            yield return new ValidationResult(
                "RabbitMq:Password (env RabbitMq__Password) is not read: secrets come from files only. Put the password in a file (mode 600) and name it in RabbitMq:PasswordFile.");
        if (!UseTls && (!string.IsNullOrEmpty(TlsCaFile) || !string.IsNullOrEmpty(TlsServerName)))
            yield return new ValidationResult("RabbitMq:TlsCaFile and RabbitMq:TlsServerName apply only with RabbitMq:UseTls=true (env RabbitMq__UseTls).");
        if (UseTls && !string.IsNullOrEmpty(TlsCaFile) && !File.Exists(TlsCaFile))
            yield return new ValidationResult($"RabbitMq:TlsCaFile '{TlsCaFile}' does not exist.");
        if (!string.IsNullOrWhiteSpace(PasswordFile) && SecretFile.Problem(PasswordFile, "RabbitMq:PasswordFile (env RabbitMq__PasswordFile)") is { } problem)
            yield return new ValidationResult(problem);
        foreach (var entry in ClusterNodeEntries().Where(entry => !RabbitMqNode.TryParse(entry, Port, out _)))
            yield return new ValidationResult(
                $"RabbitMq:ClusterNodes (env RabbitMq__ClusterNodes) has a bad entry '{entry}': each node is host or host:port " +
                "(port 1 to 65535; no IPv6 literal, use a host name), separated by commas.");
    }

    private string[] ClusterNodeEntries() =>
        ClusterNodes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
