using System.Diagnostics;
using System.Text;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A program left running while the test does other things (a <c>cloudbus ... --watch</c>): what it
/// has printed so far, and SIGTERM to end it as an operator would. Disposing kills it if
/// it still runs.
/// </summary>
public sealed class RunningProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private RunningProgram(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Append(_output, line.Data);
        _process.ErrorDataReceived += (_, line) => Append(_error, line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static RunningProgram Start(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        new(ShellCommand.StartInfo(program, arguments, workingDirectory, environment));

    /// <summary>Standard output so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public string Error
    {
        get { lock (_error) return _error.ToString(); }
    }

    /// <summary>
    /// Sends SIGTERM (what `kill` and service managers send; a terminal's Ctrl-C is SIGINT, which
    /// a program started in the background of a non-interactive shell, as under CI, inherits as
    /// ignored) and returns how the program ended.
    /// </summary>
    public async Task<ShellCommand.Result> StopAsync(TimeSpan timeout)
    {
        await ShellCommand.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout, "kill -TERM");
        return await WaitAsync(timeout);
    }

    /// <summary>Waits until the program ends by itself.</summary>
    public async Task<ShellCommand.Result> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} did not end within {timeout.TotalSeconds} s.\n{Error}");
        }

        return new ShellCommand.Result(_process.ExitCode, Output, Error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null) return;
        lock (to) to.AppendLine(line);
    }
}
