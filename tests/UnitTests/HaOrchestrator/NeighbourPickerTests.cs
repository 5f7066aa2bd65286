using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Investigation;
using CloudBus.Messages.Hosts;

namespace CloudBus.UnitTests.HaOrchestrator;

public sealed class NeighbourPickerTests
{
    private static readonly string[] SameClusterConnected = ["h2", "h3", "h4", "h5"];

    private static KnownHost Host(string id, string cluster = "c1", HostStatus status = HostStatus.Connected) =>
        new(id, [new Uri("http://127.0.0.1:7070/")], cluster, [], status);

    [Fact]
    public void Only_connected_hosts_of_the_same_cluster_other_than_the_suspect_are_asked_at_most_n()
    {
        var suspect = Host("h1", status: HostStatus.Suspect);
        var hosts = new[]
        {
            suspect, Host("h2"), Host("h3"), Host("h4"), Host("h5"), Host("x1", cluster: "c2"),
            Host("h6", status: HostStatus.Suspect), Host("h7", status: HostStatus.Maintenance), Host("h8", status: HostStatus.Down),
        };

        var picked = NeighbourPicker.Pick(suspect, hosts, 3);

        Assert.Equal(3, picked.Count);
        Assert.All(picked, h => Assert.Contains(h.HostId, SameClusterConnected));
        Assert.Equal(picked, NeighbourPicker.Pick(suspect, hosts.Reverse(), 3));
    }

    [Fact]
    public void Different_suspects_spread_over_different_neighbours()
    {
        var hosts = Enumerable.Range(1, 20).Select(i => Host($"h{i}")).ToList();
        var firstPicks = hosts.Select(s => NeighbourPicker.Pick(s, hosts, 1)[0].HostId).Distinct().Count();
        Assert.True(firstPicks >= 8, $"only {firstPicks} distinct first neighbours for 20 suspects");
    }

    [Fact]
    public void Name_based_ids_are_stable_and_distinct()
    {
        var at = new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.Zero);
        Assert.Equal(NameBasedIds.InvestigationOf("h1", at), NameBasedIds.InvestigationOf("h1", at.ToOffset(TimeSpan.FromHours(2))));
        Assert.NotEqual(NameBasedIds.InvestigationOf("h1", at), NameBasedIds.InvestigationOf("h2", at));
        // The same host failing again is another investigation: its release is never the first one replayed.
        Assert.NotEqual(NameBasedIds.InvestigationOf("h1", at), NameBasedIds.InvestigationOf("h1", at.AddTicks(1)));
        var vm = Guid.Parse("9d7c2d9e-58a4-4d0e-9d1c-2b8f1e6a0c11");
        Assert.NotEqual(NameBasedIds.RestartAttempt(vm, 3, 1), NameBasedIds.RestartAttempt(vm, 3, 2));
        Assert.Equal(5, NameBasedIds.InvestigationOf("h1", at).Version);
    }
}
