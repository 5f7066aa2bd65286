using System.CommandLine;
using CloudBus.Cli.Api;
using CloudBus.Cli.Stack;

namespace CloudBus.Cli.Operate;

/// <summary>
/// What every command that talks to the control plane shares: the options that say where the
/// stack is (<see cref="StackConnection"/>), <c>--json</c>, and one way to end: the result on
/// stdout, or one line on stderr and an exit code from <see cref="ExitCodes"/>.
/// </summary>
internal static class StackCommand
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public static readonly Option<string[]> Urls = new("--url")
    {
        Description = "Where a service answers, NAME=URL (vm-lifecycle, host-monitor, node-registry, ha-orchestrator; back-door for sim); repeatable, several for one service being its instances (tried in turn). Default: CLOUDBUS_URLS, else the local stack's .run/ports.env.",
        Recursive = true,
    };

    public static readonly Option<DirectoryInfo> StackFolder = new("--stack")
    {
        Description = "The checkout whose local stack (./up.sh, .run/) to use. Default: the current folder or the nearest parent with a .run/ports.env.",
        Recursive = true,
    };

    public static readonly Option<FileInfo> TokenFile = new("--token-file")
    {
        Description = "A file holding the operator token. Default: CLOUDBUS_TOKEN, CLOUDBUS_TOKEN_FILE, else the local stack's .run/admin.token.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON (the services' own records) instead of tables.", Recursive = true };

    public static void AddOptions(RootCommand root)
    {
        root.Options.Add(Urls);
        root.Options.Add(StackFolder);
        root.Options.Add(TokenFile);
        root.Options.Add(Json);
    }

    /// <summary>Makes <paramref name="run"/> the command's action, with a client for the stack the options name.</summary>
    public static void SetAction(Command command, Func<ParseResult, ControlPlaneClient, Output, CancellationToken, Task> run) =>
        command.SetAction(async (result, ct) =>
        {
            var output = new Output(result.GetValue(Json));
            try
            {
                var stack = StackConnection.Resolve(result.GetValue(Urls) ?? [], result.GetValue(StackFolder), result.GetValue(TokenFile));
                using var http = new HttpClient { Timeout = CallTimeout };
                await run(result, new ControlPlaneClient(http, stack), output, ct);
                return ExitCodes.Ok;
            }
            catch (CliException exception)
            {
                Console.Error.WriteLine($"cloudbus: {exception.Message}");
                return exception.ExitCode;
            }
        });
}
