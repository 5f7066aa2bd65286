using System.Diagnostics.Metrics;

namespace CloudBus.ServiceDefaults.Telemetry;

/// <summary>
/// The last count of things (hosts, VMs, messages) by state read from a table, as measurements of
/// an observable gauge with the state as a tag. Every known state is reported, with 0 when none
/// is in it, so a dashboard's series does not vanish when a state empties; a state the table holds
/// but this version does not know is reported as it is. Before the first read nothing is reported:
/// an unknown count is not zero.
/// </summary>
public sealed class StateCounts(string tag, IEnumerable<string> knownStates)
{
    private readonly string[] _known = knownStates.ToArray();
    private IReadOnlyDictionary<string, long>? _counts;

    /// <summary>Replaces the counts with a fresh read (states not in <paramref name="rows"/> count 0).</summary>
    public void Update(IEnumerable<(string State, long Count)> rows)
    {
        var counts = _known.ToDictionary(state => state, _ => 0L);
        foreach (var (state, count) in rows) counts[state] = counts.GetValueOrDefault(state) + count;
        Volatile.Write(ref _counts, counts);
    }

    public IEnumerable<Measurement<long>> Observe()
    {
        var counts = Volatile.Read(ref _counts);
        if (counts is null) return [];
        return counts.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>(tag, pair.Key)));
    }
}
