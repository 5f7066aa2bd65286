using System.CommandLine;
using System.Diagnostics;

namespace CloudBus.Cli.Operate;

/// <summary>
/// <c>cloudbus instance add|remove SERVICE</c>: one more or one fewer instance of a control-plane
/// service of the local stack, while it runs. The count comes from NodeRegistry's ring (what runs
/// now); starting and stopping instances stays in one place, ./up.sh scale, which this runs and
/// which waits until every ring has its members. Elsewhere an orchestrator scales
/// (<c>docker compose up --scale</c>): the instances join the rings by themselves.
/// </summary>
internal static class InstanceCommands
{
    private static readonly string[] Scalable = ["node-registry", "host-monitor", "vm-lifecycle", "ha-orchestrator"];

    public static Command Create()
    {
        var instance = new Command("instance", "Adds or removes an instance of a control-plane service of the local stack (./up.sh).");
        instance.Subcommands.Add(Change("add", "Starts one more instance of SERVICE; it joins the service's ring.", +1));
        instance.Subcommands.Add(Change("remove", "Stops the newest instance of SERVICE; it leaves the ring and the others take over its share.", -1));
        return instance;
    }

    private static Command Change(string name, string description, int by)
    {
        var service = new Argument<string>("SERVICE") { Description = string.Join(", ", Scalable) };
        service.AcceptOnlyFromAmong(Scalable);
        var command = new Command(name, description) { service };
        StackCommand.SetAction(command, async (result, api, output, ct) =>
        {
            var name = result.GetValue(service)!;
            var running = (await api.RingAsync(name, ct)).Members.Count;
            var wanted = running + by;
            if (wanted < 1)
                throw new CliException(ExitCodes.Refused, $"{name} has {running} instance; the last one cannot be removed (the service would stop)");
            var checkout = api.Stack.LocalStack ?? throw new CliException(ExitCodes.NoStack,
                $"instance {command.Name} changes the local stack (./up.sh; found by its .run/ or --stack), not one named by --url or CLOUDBUS_URLS ({api.Stack.FoundIn}); " +
                "elsewhere scale with the orchestrator that runs it, e.g. docker compose up -d --scale host-monitor=3");
            Console.Error.WriteLine($"{name}: {running} -> {wanted} instances (./up.sh scale {name}={wanted})");
            await RunUpAsync(checkout, $"{name}={wanted}", ct);
            output.Write(await api.RingAsync(name, ct), ring => Console.Out.WriteLine($"{ring.Service}: {ring.Members.Count} instance(s), epoch {ring.Epoch}: {string.Join(", ", ring.Members)}"));
        });
        return command;
    }

    /// <summary>Runs <c>./up.sh scale SPEC</c> in the checkout; its progress goes to stderr, so stdout keeps only the result.</summary>
    private static async Task RunUpAsync(string checkout, string spec, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Path.Combine(checkout, "up.sh")) { WorkingDirectory = checkout, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("scale");
        start.ArgumentList.Add(spec);
        using var upSh = Process.Start(start) ?? throw new CliException(ExitCodes.Failed, $"cannot run {start.FileName}");
        // up.sh's output is progress: passed on line by line to stderr.
        while (await upSh.StandardOutput.ReadLineAsync(ct) is { } line) Console.Error.WriteLine(line);
        await upSh.WaitForExitAsync(ct);
        if (upSh.ExitCode != 0)
            throw new CliException(ExitCodes.Failed, $"./up.sh scale {spec} failed (exit {upSh.ExitCode}; its output is above)");
    }
}
