namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>The `cloudbus` command as an operator runs it: its own process, its exit code and both outputs.</summary>
public static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Dll => ServiceBinaries.ToolDllOf("Cli", assembly: "cloudbus");

    public static Task<ShellCommand.Result> RunAsync(params string[] arguments) => RunInAsync(null, new Dictionary<string, string?>(), arguments);

    /// <param name="workingDirectory">Where it runs (the current folder by default).</param>
    /// <param name="environment">Variables set (or, when null, removed) for this run.</param>
    public static Task<ShellCommand.Result> RunInAsync(string? workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        ShellCommand.ExecuteAsync("dotnet", [Dll, .. arguments], Timeout,
            $"cloudbus {string.Join(' ', arguments)}", workingDirectory, environment);

    /// <summary>Starts a command that runs until it is interrupted or done (<c>--watch</c>).</summary>
    public static RunningProgram Start(string? workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        RunningProgram.Start("dotnet", [Dll, .. arguments], workingDirectory, environment);
}
