namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Two HaOrchestrator instances, and a heartbeat that counts as stale only after 6 s, so an
/// investigation stays in progress for seconds: long enough for a test to break things in the
/// middle of it.
/// </summary>
public sealed class PatientVerdictHaStack() : HaStack(fleetSize: 4, haOrchestrators: 2)
{
    protected override IEnumerable<(string Key, string Value)> MoreSettings => [("Ha__HeartbeatStaleAfter", "00:00:06")];
}
