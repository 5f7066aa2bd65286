using CloudBus.HaOrchestrator.Investigation;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// "Has this host fenced itself?" A host agent that cannot write its storage heartbeat kills its
/// VMs within its self-fence time. So a heartbeat that has not advanced for longer than that time
/// plus a margin (for clock and read delays), as a majority of the neighbours asked read it and
/// none sees it advance, proves the VMs are dead. Watches are built with that threshold.
/// </summary>
public static class SelfFenceProof
{
    public static bool Holds(IReadOnlyList<HeartbeatWatch> watches, out string explanation)
    {
        var stale = watches.Count(w => w.Trend == HeartbeatTrend.Stale);
        var advancing = watches.Count(w => w.Trend == HeartbeatTrend.Advancing);
        var quorum = VerdictRules.Quorum(watches.Count);
        if (watches.Count > 0 && advancing == 0 && stale >= quorum)
        {
            explanation = $"heartbeat silent past the self-fence time plus margin on {stale} of {watches.Count} neighbours: the host has killed its VMs";
            return true;
        }

        explanation = watches.Count == 0
            ? "no neighbour can read its heartbeat"
            : $"heartbeat silent long enough on {stale} of {watches.Count} neighbours (need {quorum}), advancing on {advancing}";
        return false;
    }
}
