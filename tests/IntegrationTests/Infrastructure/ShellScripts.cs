namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Runs a function of one of the project's shell libraries (scripts/lib/*.sh), the same code
/// ./up.sh and ./test.sh use, so what a test does to a server lives in one place.
/// </summary>
public static class ShellScripts
{
    /// <param name="library">The file under scripts/lib, for example "servers.sh".</param>
    /// <param name="function">The function bash calls after sourcing the library.</param>
    /// <param name="arguments">The function's arguments.</param>
    /// <param name="timeout">How long before the call counts as hung and is killed.</param>
    public static async Task RunAsync(string library, string function, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var script = Path.Combine(ServiceBinaries.RepositoryRoot, "scripts", "lib", library);
        // The library's path and the arguments travel as positional parameters, never spliced
        // into the command string.
        await ShellCommand.RunAsync("bash", ["-c", $"source \"$0\" && {function} \"$@\"", script, .. arguments], timeout, function);
    }
}
