using System.Diagnostics;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>The `cloudbus` command as an operator runs it: its own process, its exit code and both outputs.</summary>
public static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServiceBinaries.ToolDllOf("Cli", assembly: "cloudbus"));
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
