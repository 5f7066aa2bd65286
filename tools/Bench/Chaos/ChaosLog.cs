using System.Diagnostics;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// What happens, as it happens: a progress line on stderr (<c>[chaos] t=123s kill broker node 2</c>)
/// and the same line with its UTC time in <c>faults.log</c> of the run's log directory, so every
/// fault and heal can be lined up afterwards with the services' logs (which print their local time).
/// </summary>
public sealed class ChaosLog : IDisposable
{
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly StreamWriter _file;
    private readonly Lock _lock = new();

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
        var line = $"t={Seconds:0}s {what}";
        lock (_lock)
        {
            Console.Error.WriteLine($"[chaos] {line}");
            _file.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {line}");
        }
    }

    public void Dispose() => _file.Dispose();
}
