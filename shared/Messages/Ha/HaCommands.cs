namespace CloudBus.Messages.Ha;

/// <summary>Where HaOrchestrator's own work items go: queues its instances compete on.</summary>
public static class HaCommands
{
    public const string InvestigateHostQueue = "ha-orchestrator-investigate-host";
    public const string FenceHostQueue = "ha-orchestrator-fence-host";

    // Exchanges bound to the queues of the same name, not queue: addresses (see VmCommands.Address).
    public static readonly Uri InvestigateHostAddress = new($"exchange:{InvestigateHostQueue}");
    public static readonly Uri FenceHostAddress = new($"exchange:{FenceHostQueue}");
}
