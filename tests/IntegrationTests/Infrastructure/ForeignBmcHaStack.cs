namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The attack on fencing of issue 13: besides the real cluster (<c>cluster-a</c>), someone
/// registers a cluster of their own whose host <see cref="Attacker"/> names the BMC address of the
/// real server <see cref="Victim"/>, with a neighbour (<see cref="AttackersNeighbour"/>) to vouch
/// that it is dead. Every host has its own simulated BMC; the attacker's own is simply not named.
/// </summary>
public sealed class ForeignBmcHaStack : HaStack
{
    public const string Victim = "host-1";
    public const string Attacker = "host-2";
    public const string AttackersNeighbour = "host-3";

    public override string ClusterOf(string hostId) => hostId is Attacker or AttackersNeighbour ? "cluster-evil" : base.ClusterOf(hostId);

    protected override IReadOnlyList<string> BmcAddressesOf(string hostId) =>
        hostId == Attacker ? base.BmcAddressesOf(Victim) : base.BmcAddressesOf(hostId);
}
