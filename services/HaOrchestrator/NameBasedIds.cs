using CloudBus.ServiceDefaults;

namespace CloudBus.HaOrchestrator;

/// <summary>
/// Ids derived from names, the same on every instance: the investigation of one suspicion of a
/// host, the operation id of one restart attempt. A redelivered message therefore lands on the
/// same saga, and a repeated start with the same operation id does nothing twice.
/// </summary>
public static class NameBasedIds
{
    /// <summary>
    /// The investigation (and incident) of one suspicion: the host and the moment it became
    /// suspect. A host that fails again later is a new suspicion, so a new investigation with a
    /// release of its own; never the earlier one replayed.
    /// </summary>
    public static Guid InvestigationOf(string hostId, DateTimeOffset suspectedAt) =>
        FromName($"investigation/{hostId}/{suspectedAt.UtcTicks}");

    public static Guid RestartAttempt(Guid vmId, long incarnation, int attempt) => FromName($"restart/{vmId}/{incarnation}/{attempt}");

    private static Guid FromName(string name) => NameBasedGuid.From(name);
}
