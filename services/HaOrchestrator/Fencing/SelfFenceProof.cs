using CloudBus.HaOrchestrator.Investigation;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// "Has this host fenced itself?" A host agent that cannot write its storage heartbeat kills its
/// VMs within its self-fence time. So a heartbeat that has not advanced for longer than that time
/// plus a margin (for clock and read delays), as a majority of the neighbours asked read it and
/// none sees it advance, proves the VMs are dead. Watches are built with the configured time plus
/// the margin; a host that states a longer self-fence time in its heartbeat is held to its own.
/// </summary>
public static class SelfFenceProof
{
    public static bool Holds(IReadOnlyList<HeartbeatWatch> watches, TimeSpan margin, out string explanation)
    {
        var silent = watches.Count(w => SilentLongEnough(w, margin));
        var advancing = watches.Count(w => w.Trend == HeartbeatTrend.Advancing);
        var quorum = VerdictRules.Quorum(watches.Count);
        if (watches.Count > 0 && advancing == 0 && silent >= quorum)
        {
            explanation = $"heartbeat silent past the self-fence time plus margin on {silent} of {watches.Count} neighbours: the host has killed its VMs";
            return true;
        }

        var stated = watches.Max(w => w.StatedSelfFenceAfter);
        explanation = watches.Count == 0
            ? "no neighbour can read its heartbeat"
            : $"heartbeat silent long enough on {silent} of {watches.Count} neighbours (need {quorum}), advancing on {advancing}"
              + (stated is { } s ? $"; the host states it self-fences after {s.TotalSeconds:0.#}s" : "");
        return false;
    }

    private static bool SilentLongEnough(HeartbeatWatch watch, TimeSpan margin) =>
        watch.Trend == HeartbeatTrend.Stale && (watch.StatedSelfFenceAfter is not { } stated || watch.LatestAge >= stated + margin);
}
