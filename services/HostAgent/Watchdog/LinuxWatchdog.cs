using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CloudBus.HostAgent.Watchdog;

/// <summary>
/// A Linux watchdog device (<c>/dev/watchdog</c>, from the hardware's driver or softdog): opening it
/// arms it, <c>WDIOC_SETTIMEOUT</c> sets the timeout, and every write pets it. It is never closed
/// with the magic 'V', so the kernel resets the host if the agent stops petting for any reason.
/// </summary>
public sealed partial class LinuxWatchdog : IWatchdog
{
    // _IOWR('W', 6, int): sets the timeout in seconds, and the driver writes back the one it took.
    private const uint SetTimeout = 0xC0045706;
    private static readonly byte[] Keepalive = [(byte)'.'];
    private readonly FileStream _device;

    /// <param name="timeout">Rounded down to whole seconds (at least 1): the device cannot do better.</param>
    /// <exception cref="IOException">The device cannot be opened or refuses the timeout.</exception>
    public LinuxWatchdog(string path, TimeSpan timeout)
    {
        _device = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 0);
        var seconds = Math.Max(1, (int)timeout.TotalSeconds);
        if (ioctl(_device.SafeFileHandle, SetTimeout, ref seconds) != 0)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            _device.Dispose();
            throw new IOException($"The watchdog {path} refused a timeout of {seconds} s: {error}");
        }
        TimeoutSeconds = seconds;
        Armed = true;
    }

    /// <summary>The timeout the device took.</summary>
    public int TimeoutSeconds { get; }

    public bool Armed { get; private set; }

    public void Pet()
    {
        try
        {
            _device.Write(Keepalive);
            Armed = true;
        }
        catch (IOException)
        {
            Armed = false;
        }
    }

    // Closing without the magic 'V' leaves the watchdog running: the host resets unless an agent
    // reopens it in time (systemd restarts the agent).
    public void Dispose() => _device.Dispose();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int ioctl(SafeFileHandle fd, uint request, ref int value);
}
