using System.Diagnostics;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Runs one of the repository's shell scripts, or a program such as docker-compose or the
/// `cloudbus` command, and returns what it printed. The arguments travel as separate words, never
/// spliced into a command string, so no value is ever parsed as shell code.
/// </summary>
public static class ShellCommand
{
    /// <summary>How a program ended: its exit code and both outputs.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="program"/>; a non-zero exit or a timeout throws with its standard error.</summary>
    /// <param name="what">What the command does, for the failure message.</param>
    /// <param name="environment">Variables set (or, when null, removed) for the command only.</param>
    /// <returns>The standard output.</returns>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, string what,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = await ExecuteAsync(program, arguments, timeout, what, workingDirectory, environment);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{what} failed with exit code {result.ExitCode}:\n{result.Error}{result.Output}");
        return result.Output;
    }

    /// <summary>Runs <paramref name="program"/> and returns how it ended, whatever its exit code; only a timeout throws.</summary>
    public static async Task<Result> ExecuteAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, string what,
        string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Process.Start(StartInfo(program, arguments, workingDirectory, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish within {timeout.TotalSeconds} s.\n{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How a program is started: both outputs read by the caller, each argument its own word.</summary>
    internal static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        return start;
    }
}
