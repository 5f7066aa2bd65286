using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>Groups of restart statuses as the queries compare them (stored by name), named once.</summary>
public static class RestartStatuses
{
    /// <summary>Waiting for their next attempt time.</summary>
    public static readonly string[] Waiting = Names(RestartStatus.Pending, RestartStatus.Retrying);

    /// <summary>Not ended yet: waiting, or being started.</summary>
    public static readonly string[] StillToTry = Names(RestartStatus.Pending, RestartStatus.Starting, RestartStatus.Retrying);

    /// <summary>Ended without the VM running again, for an operator to look at.</summary>
    public static readonly string[] GaveUp = Names(RestartStatus.Failed, RestartStatus.Quarantined);

    private static string[] Names(params RestartStatus[] statuses) => statuses.Select(s => s.ToString()).ToArray();
}
