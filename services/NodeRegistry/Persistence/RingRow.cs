namespace CloudBus.NodeRegistry.Persistence;

/// <summary>Settable properties: Npgsql reports text[] as a plain Array, which Dapper's constructor matching refuses.</summary>
internal sealed class RingRow
{
    public string service { get; init; } = "";
    public long epoch { get; init; }
    public string[] members { get; init; } = [];
    public int virtual_nodes { get; init; }
    public DateTimeOffset changed_at { get; init; }

    public StoredRing ToStoredRing() => new(service, epoch, members, virtual_nodes, changed_at);
}
