using System.Diagnostics;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// What happens, as it happens: a progress line on stderr (<c>[chaos] t=123s kill broker node 2</c>)
/// and the same line with its UTC time in <c>faults.log</c> of the run's log directory, so every
/// fault and heal can be lined up afterwards with the services' logs (which print their local time).
/// </summary>
public sealed class ChaosLog : IDisposable
{
    /// <summary>How long lines of one kind from <see cref="WriteOften"/> stay off stderr after one was shown.</summary>
    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(30);
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly StreamWriter _file;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (TimeSpan Until, int Hidden)> _quiet = [];

    public ChaosLog(string directory)
    {
        Directory = directory;
        _file = new StreamWriter(Path.Combine(directory, "faults.log")) { AutoFlush = true };
    }

    /// <summary>Where the fault log and every service instance's output are written; kept after the run.</summary>
    public string Directory { get; }

    /// <summary>Seconds since the benchmark began.</summary>
    public double Seconds => _since.Elapsed.TotalSeconds;

    public void Write(string what)
    {
        lock (_lock)
        {
            Console.Error.WriteLine($"[chaos] t={Seconds:0}s {what}");
            ToFile(what);
        }
    }

    /// <summary>
    /// For lines that come in bursts (a database failover parks dozens of heartbeats within
    /// seconds): of the lines of one <paramref name="kind"/>, stderr shows one per 30 s and says how
    /// many it left out; faults.log has them all.
    /// </summary>
    public void WriteOften(string kind, string what)
    {
        lock (_lock)
        {
            ToFile(what);
            var now = _since.Elapsed;
            if (_quiet.TryGetValue(kind, out var quiet) && now < quiet.Until)
            {
                _quiet[kind] = quiet with { Hidden = quiet.Hidden + 1 };
                return;
            }
            var leftOut = quiet.Hidden > 0 ? $" (and {quiet.Hidden} more like it before, in faults.log)" : "";
            Console.Error.WriteLine($"[chaos] t={Seconds:0}s {what}{leftOut}");
            _quiet[kind] = (now + QuietFor, 0);
        }
    }

    public void Dispose() => _file.Dispose();

    private void ToFile(string what) => _file.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} t={Seconds:0}s {what}");
}
