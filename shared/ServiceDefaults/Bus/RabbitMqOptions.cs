using System.ComponentModel.DataAnnotations;

namespace CloudBus.ServiceDefaults.Bus;

/// <summary>Where the broker is. Bound from the <c>RabbitMq</c> section (env: <c>RabbitMq__Host</c>, ...).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <value>Broker host name. Default <c>127.0.0.1</c>.</value>
    [Required] public string Host { get; set; } = "127.0.0.1";

    /// <value>AMQP port. Default 5672.</value>
    [Range(1, 65535)] public int Port { get; set; } = 5672;

    /// <value>Virtual host. Default <c>/</c>.</value>
    [Required] public string VirtualHost { get; set; } = "/";

    /// <value>User name. Required: there is no safe default account.</value>
    [Required(ErrorMessage = "RabbitMq:Username is required (env RabbitMq__Username).")]
    public string Username { get; set; } = "";

    /// <value>Password. Required, and never logged.</value>
    [Required(ErrorMessage = "RabbitMq:Password is required (env RabbitMq__Password).")]
    public string Password { get; set; } = "";
}
