using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CloudBus.HostAgent.Watchdog;

/// <summary>
/// The watchdog emulator of tools/WatchdogEmulator, for hosts without a watchdog device (tests,
/// ./up.sh libvirt): a unix socket that takes "timeout N" once and "pet" lines, and "resets" its
/// host (kills its libvirtd, qemu processes and agent) when not petted in time.
/// </summary>
public sealed class EmulatedWatchdog : IWatchdog
{
    private readonly string _socketPath;
    private readonly int _timeoutSeconds;
    private Socket? _socket;

    /// <exception cref="IOException">The emulator cannot be reached.</exception>
    public EmulatedWatchdog(string socketPath, TimeSpan timeout)
    {
        _socketPath = socketPath;
        _timeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds);
        try
        {
            Connect();
        }
        catch (SocketException e)
        {
            throw new IOException($"The watchdog emulator at {socketPath} cannot be reached: {e.Message}", e);
        }
    }

    public bool Armed { get; private set; }

    public void Pet()
    {
        try
        {
            // The emulator may have been restarted: reconnect (and arm it again) before petting.
            if (_socket is null) Connect();
            Send("pet");
            Armed = true;
        }
        catch (SocketException)
        {
            _socket?.Dispose();
            _socket = null;
            Armed = false;
        }
    }

    public void Dispose() => _socket?.Dispose();

    private void Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(_socketPath));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        Send(string.Create(CultureInfo.InvariantCulture, $"timeout {_timeoutSeconds}"));
        Armed = true;
    }

    private void Send(string line) => _socket!.Send(Encoding.ASCII.GetBytes(line + "\n"));
}
