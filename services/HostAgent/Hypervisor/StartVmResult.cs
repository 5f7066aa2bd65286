namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// Result of a start. <see cref="Incarnation"/> is the incarnation now running (the existing one on
/// a conflict); <see cref="Message"/> explains a refusal.
/// </summary>
public sealed record StartVmResult(StartVmOutcome Outcome, string VmId, long? Incarnation, string? Message)
{
    public bool IsRunning => Outcome is StartVmOutcome.Started or StartVmOutcome.AlreadyRunning;
}
