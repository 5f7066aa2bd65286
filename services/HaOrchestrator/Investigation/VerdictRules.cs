using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Investigation;

/// <summary>
/// "Is this host down?" from the evidence of one investigation round. Errs towards not
/// restarting: Down needs every neighbour that answered to see a stale heartbeat and none to reach
/// the host, from a majority of the neighbours asked; any sign of life is Alive; anything else is
/// Undetermined (alert and look again, never restart).
/// </summary>
public static class VerdictRules
{
    public static int Quorum(int asked) => asked / 2 + 1;

    public static Verdict Decide(bool answeredDirectly, IReadOnlyList<HeartbeatWatch> neighbours)
    {
        if (answeredDirectly)
            return new(HostVerdict.Alive, "it answered the orchestrator directly");
        if (neighbours.Count == 0)
            return new(HostVerdict.Undetermined, "it has no connected neighbour in its cluster to read its storage heartbeat");

        var answered = neighbours.Where(n => n.IsSettled).ToList();
        var quorum = Quorum(neighbours.Count);
        if (answered.Count < quorum)
            return new(HostVerdict.Undetermined,
                $"only {answered.Count} of {neighbours.Count} neighbours could tell whether its heartbeat advances (need {quorum})");

        var advancing = answered.Count(n => n.Trend == HeartbeatTrend.Advancing);
        var reaching = neighbours.Count(n => n.ReachesSuspect == true);
        if (advancing == answered.Count)
            return new(HostVerdict.Alive,
                $"its storage heartbeat still advances on {advancing} neighbours: only the management path to it is broken");
        if (advancing == 0 && reaching == 0)
            return new(HostVerdict.Down,
                $"its storage heartbeat is stale on all {answered.Count} neighbours that read it and none reaches it");
        return new(HostVerdict.Undetermined,
            $"neighbours disagree: heartbeat advancing on {advancing}, stale on {answered.Count - advancing}; {reaching} reach it");
    }
}
