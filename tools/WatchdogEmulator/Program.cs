using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CloudBus.WatchdogEmulator;

// The watchdog of one emulated host. The agent connects to the unix socket, sends "timeout N"
// (seconds; this arms the watchdog) and then "pet" lines. When N seconds pass without a pet, the
// emulator "resets the host": it runs the reset command once (which kills that host's libvirtd,
// qemu processes and agent) and stays disarmed until an agent arms it again. Like a watchdog
// opened without the magic close, an agent that disconnects does not disarm it.
//
//   CloudBus.WatchdogEmulator --socket PATH --reset "COMMAND"
if (Arguments.Parse(args) is not { } settings)
{
    await Console.Error.WriteLineAsync("usage: CloudBus.WatchdogEmulator --socket PATH --reset \"shell command run when it expires\"");
    return 2;
}

var watchdog = new EmulatedHostWatchdog(TimeProvider.System);
File.Delete(settings.Socket);
using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
listener.Bind(new UnixDomainSocketEndPoint(settings.Socket));
listener.Listen();
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();
Log($"listening on {settings.Socket}");

_ = Task.Run(async () =>
{
    while (!stopping.IsCancellationRequested)
    {
        var agent = await listener.AcceptAsync(stopping.Token);
        _ = Task.Run(() => ServeAsync(agent, stopping.Token));
    }
});

using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
try
{
    while (await timer.WaitForNextTickAsync(stopping.Token))
    {
        if (!watchdog.Expired()) continue;
        Log($"not petted for {watchdog.TimeoutSeconds} s: resetting the host");
        using var reset = Process.Start("/bin/bash", ["-c", settings.ResetCommand]);
        await reset.WaitForExitAsync(stopping.Token);
        Log($"host reset (command exited {reset.ExitCode}); disarmed until an agent arms it again");
    }
}
catch (OperationCanceledException)
{
}
File.Delete(settings.Socket);
return 0;

async Task ServeAsync(Socket agent, CancellationToken cancellationToken)
{
    using var connection = agent;
    using var reader = new StreamReader(new NetworkStream(connection));
    while (await reader.ReadLineAsync(cancellationToken) is { } line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["timeout", var value] && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            watchdog.Arm(seconds);
            Log($"armed: timeout {seconds} s");
        }
        else if (parts is ["pet"]) watchdog.Pet();
        else Log($"ignored: '{line}'");
    }
}

static void Log(string message) => Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} watchdog: {message}");
