namespace CloudBus.Bench.Chaos;

/// <summary>
/// One instance of a control-plane service that the chaos may kill (-9) and start again (a new
/// process on a new port, as a replaced machine would be). Everything it prints goes to its own log
/// file in the run's log directory, across restarts; its ALERT lines also go to <see cref="AlertLines"/>.
/// </summary>
public sealed class ChaosService(string project, int number, IReadOnlyDictionary<string, string> environment, ChaosLog log, AlertLines alerts) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly Lock _lock = new();
    private readonly StreamWriter _output = new(Path.Combine(log.Directory, $"{project}-{number}.log"), append: true) { AutoFlush = true };
    private BenchProcess? _process;
    private bool _closed;

    public string Project => project;
    public string Name => $"{project}#{number}";

    /// <summary>The instance's address while its process runs; null while it is down.</summary>
    public Uri? Address => _process is { HasExited: false } process ? process.BaseAddress : null;

    public void Start()
    {
        Write($"=== {Name} starting");
        _process = BenchProcess.Start(project, environment, Write);
    }

    public Task WaitReadyAsync(HttpClient http) =>
        BenchSupport.UntilAsync(async () =>
            {
                if (_process is not { HasExited: false } process) throw new InvalidOperationException($"{Name} exited while starting: see {project}-{number}.log in {log.Directory}");
                using var response = await http.GetAsync(new Uri(process.BaseAddress, "health/ready"));
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromMilliseconds(500), StartTimeout, $"{Name} not ready after {StartTimeout}",
            notYet: failure => failure is HttpRequestException or TaskCanceledException); // not listening yet, or too busy to answer

    /// <summary>kill -9, as a crash or a pulled plug: no clean shutdown, no goodbye to the registry.</summary>
    public void Kill()
    {
        _process?.KillHard();
        Write($"=== {Name} killed (-9)");
    }

    public void Dispose()
    {
        _process?.Dispose();
        lock (_lock)
        {
            _closed = true;
            _output.Dispose();
        }
    }

    private void Write(string line)
    {
        if (alerts.Offer(line)) log.Write($"{Name} {Shorten(line)}");
        lock (_lock)
            if (!_closed) _output.WriteLine(line);
    }

    /// <summary>From the alert marker on, at most 240 characters: the progress line names the message and queue; the log file has the rest.</summary>
    private static string Shorten(string line)
    {
        var alert = line[line.IndexOf(AlertLines.Marker, StringComparison.Ordinal)..];
        return alert.Length > 240 ? alert[..240] + "..." : alert;
    }
}
