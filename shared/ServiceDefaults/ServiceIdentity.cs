namespace CloudBus.ServiceDefaults;

/// <summary>
/// Who this process is: the service it belongs to and this instance's own id. Several instances of
/// one service run at once, so every instance gets a unique id at start.
/// </summary>
public sealed record ServiceIdentity(string ServiceName, string InstanceId, DateTimeOffset StartedAt)
{
    public static ServiceIdentity Create(string serviceName, TimeProvider clock) =>
        new(serviceName, $"{serviceName}-{Guid.NewGuid().ToString("N")[..8]}", clock.GetUtcNow());
}
