namespace CloudBus.HostAgent.Simulation;

public enum AddHostOutcome
{
    Created,

    /// <summary>A host with that id and the same shape exists: adding it again is not an error.</summary>
    AlreadyExists,

    /// <summary>A host with that id exists with another cluster or capacity.</summary>
    Conflict,
}
