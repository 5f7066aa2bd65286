using System.Collections.Concurrent;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// Every <c>ALERT:</c> line any service instance printed (ParkedMessageAlerts, events 150 and 151:
/// a message parked in an error queue), kept to match the parked messages found at the end.
/// </summary>
public sealed class AlertLines
{
    public const string Marker = "ALERT:";
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <returns>True when <paramref name="line"/> is an alert (and was kept).</returns>
    public bool Offer(string line)
    {
        if (!line.Contains(Marker, StringComparison.Ordinal)) return false;
        _lines.Enqueue(line);
        return true;
    }
}
