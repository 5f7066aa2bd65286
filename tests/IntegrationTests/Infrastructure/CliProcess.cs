using System.Diagnostics;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>The `cloudbus` command as an operator runs it: its own process, its exit code and both outputs.</summary>
public static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(params string[] arguments) => RunInAsync(null, new Dictionary<string, string?>(), arguments);

    /// <param name="workingDirectory">Where it runs (the current folder by default).</param>
    /// <param name="environment">Variables set (or, when null, removed) for this run.</param>
    public static async Task<Result> RunInAsync(string? workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServiceBinaries.ToolDllOf("Cli", assembly: "cloudbus"));
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cloudbus {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s.\n{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
