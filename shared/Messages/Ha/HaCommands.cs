namespace CloudBus.Messages.Ha;

/// <summary>Where HaOrchestrator's own work items go: queues its instances compete on.</summary>
public static class HaCommands
{
    public const string InvestigateHostQueue = "ha-orchestrator-investigate-host";
    public const string FenceHostQueue = "ha-orchestrator-fence-host";

    public static readonly Uri InvestigateHostAddress = new($"queue:{InvestigateHostQueue}");
    public static readonly Uri FenceHostAddress = new($"queue:{FenceHostQueue}");
}
