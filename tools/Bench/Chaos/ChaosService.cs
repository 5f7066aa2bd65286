namespace CloudBus.Bench.Chaos;

/// <summary>
/// One process of the stack that the chaos may kill (-9) and start again (a new process on a new
/// port, as a replaced machine would be). Everything it prints goes to its own log file in the
/// run's log directory, across restarts; lines <paramref name="notable"/> picks also become
/// progress lines. One that exits by itself is a crash: <see cref="Supervisor"/> starts it again.
/// </summary>
/// <param name="niceness">The process's <c>nice</c> value, when not the usual.</param>
public sealed class ChaosService(
    string project, int number, IReadOnlyDictionary<string, string> environment, ChaosLog log, Func<string, bool> notable, int? niceness = null)
    : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    /// <summary>How long a service manager waits before starting a crashed process again.</summary>
    private static readonly TimeSpan RestartPause = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private readonly StreamWriter _output = new(Path.Combine(log.Directory, $"{project}-{number}.log"), append: true) { AutoFlush = true };
    private readonly List<BenchProcess> _exited = [];
    private BenchProcess? _process;
    private bool _closed;
    private volatile bool _killedOnPurpose;
    private volatile bool _starting;
    private int _crashes;

    public string Project => project;
    public string Name => $"{project}#{number}";
    private string LogFile => Path.Combine(log.Directory, $"{project}-{number}.log");

    /// <summary>The instance's address while its process runs; null while it is down.</summary>
    public Uri? Address => _process is { HasExited: false } process ? process.BaseAddress : null;

    /// <summary>Exits not caused by the chaos: at run time, or while starting.</summary>
    public int Crashes => _crashes;

    /// <summary>Exited by itself (not killed by the chaos, not being started): for the supervisor to start again.</summary>
    public bool HasCrashed => _process is { HasExited: true } && !_killedOnPurpose && !_starting;

    /// <summary>Starts the process and waits until it answers ready (the first start of the stack).</summary>
    public async Task StartAsync(HttpClient http)
    {
        Launch();
        if (!await WaitReadyAsync(http)) throw new InvalidOperationException($"{Name} exited while starting: see {LogFile}");
    }

    /// <summary>
    /// Starts the process again and waits until it is ready; one that exits while starting (the
    /// database or the broker away at its start) counts as a crash and is started again after a
    /// pause, as a service manager would, until it is ready or <paramref name="giveUp"/>.
    /// </summary>
    public async Task RestartAsync(HttpClient http, CancellationToken giveUp)
    {
        _starting = true;
        _killedOnPurpose = false;
        try
        {
            Launch();
            while (!await WaitReadyAsync(http))
            {
                Interlocked.Increment(ref _crashes);
                log.Write($"CRASH: {Name} exited while starting (exit code {_process!.ExitCode}, see {LogFile}); starting it again in {RestartPause.TotalSeconds:0}s");
                await Task.Delay(RestartPause, giveUp);
                Launch();
            }
        }
        finally
        {
            _starting = false;
        }
    }

    /// <summary>Counts the exit the supervisor found (<see cref="HasCrashed"/>) and says so.</summary>
    public void RecordCrash()
    {
        Interlocked.Increment(ref _crashes);
        log.Write($"CRASH: {Name} exited by itself (exit code {_process!.ExitCode}, see {LogFile}); starting it again");
    }

    /// <summary>kill -9, as a crash or a pulled plug: no clean shutdown, no goodbye to the registry.</summary>
    public void Kill()
    {
        _killedOnPurpose = true;
        _process?.KillHard();
        Write($"=== {Name} killed (-9) by the chaos");
    }

    public void Dispose()
    {
        foreach (var process in _exited) process.Dispose();
        _process?.Dispose();
        lock (_lock)
        {
            _closed = true;
            _output.Dispose();
        }
    }

    private void Launch()
    {
        Write($"=== {Name} starting");
        // The exited process is disposed at the end, not now: the supervisor may be asking it whether it exited.
        if (_process is not null) _exited.Add(_process);
        _process = BenchProcess.Start(project, environment, Write, niceness);
    }

    /// <returns>True once ready; false when the process exited first.</returns>
    private async Task<bool> WaitReadyAsync(HttpClient http)
    {
        var process = _process!;
        await BenchSupport.UntilAsync(async () =>
            {
                if (process.HasExited) return true;
                using var response = await http.GetAsync(new Uri(process.BaseAddress, "health/ready"));
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromMilliseconds(500), StartTimeout, $"{Name} not ready after {StartTimeout}: see {LogFile}",
            notYet: failure => failure is HttpRequestException or TaskCanceledException); // not listening yet, or too busy to answer
        return !process.HasExited;
    }

    private void Write(string line)
    {
        if (notable(line))
        {
            var message = Message(line);
            var kind = $"{Name} {string.Join(' ', message.Split(' ', 3).Take(2))}"; // "NodeRegistry#1 ALERT: ServiceInstanceHeartbeat"
            log.WriteOften(kind, $"{Name} {(message.Length > 240 ? message[..240] + "..." : message)}");
        }
        lock (_lock)
            if (!_closed) _output.WriteLine(line);
    }

    /// <summary>A log line without its time, level and category: "12:00:00.000 fail: Category[150] message".</summary>
    private static string Message(string line)
    {
        var level = line.IndexOf(": ", StringComparison.Ordinal);
        var eventId = level < 0 ? -1 : line.IndexOf(']', level);
        return eventId < 0 ? line : line[(eventId + 1)..].Trim();
    }
}
