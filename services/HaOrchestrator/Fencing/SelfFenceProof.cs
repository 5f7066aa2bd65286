using CloudBus.HaOrchestrator.Investigation;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// "Has this host fenced itself?" A host agent that cannot write its storage heartbeat kills its
/// VMs within its self-fence time. So a heartbeat that has not advanced for longer than that time
/// plus a margin (for clock and read delays), as a majority of the neighbours asked read it and
/// none sees it advance, proves the VMs are dead. Watches are built with the configured time plus
/// the margin; a host that states a longer self-fence time in its heartbeat is held to its own.
/// Only a host whose heartbeat says a watchdog backs its self-fence can prove it this way: without
/// one, an agent that hangs or is killed stops the heartbeat and leaves the VMs running.
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
            if (!WatchdogBacked(watches))
            {
                explanation = $"heartbeat silent past the self-fence time plus margin on {silent} of {watches.Count} neighbours, but the host's heartbeat "
                              + "does not say a watchdog backs its self-fence (an agent that hangs or dies would leave its VMs running): only a BMC power-off fences it";
                return false;
            }
            explanation = $"heartbeat silent past the self-fence time plus margin on {silent} of {watches.Count} neighbours, a watchdog backing it: the host has killed its VMs";
            return true;
        }

        var stated = watches.Max(w => w.StatedSelfFenceAfter);
        explanation = watches.Count == 0
            ? "no neighbour can read its heartbeat"
            : $"heartbeat silent long enough on {silent} of {watches.Count} neighbours (need {quorum}), advancing on {advancing}"
              + (stated is { } s ? $"; the host states it self-fences after {s.TotalSeconds:0.#}s" : "");
        return false;
    }

    /// <summary>Every neighbour that read the heartbeat read "a watchdog backs it" (an older heartbeat that does not say counts as no).</summary>
    private static bool WatchdogBacked(IReadOnlyList<HeartbeatWatch> watches) =>
        watches.Where(w => w.Readings > 0).All(w => w.StatedWatchdog == true);

    private static bool SilentLongEnough(HeartbeatWatch watch, TimeSpan margin) =>
        watch.Trend == HeartbeatTrend.Stale && (watch.StatedSelfFenceAfter is not { } stated || watch.LatestAge >= stated + margin);
}
