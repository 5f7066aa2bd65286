using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// libvirt's default event loop, once per process: it must be registered before the first
/// connection opens (lifecycle events and keepalive probes need it) and run by one thread for the
/// life of the process. The loop thread is a background thread, so it never holds the process up.
/// </summary>
internal static unsafe class LibvirtEventLoop
{
    private static readonly Lock Gate = new();
    private static bool _started;

    public static void EnsureStarted()
    {
        lock (Gate)
        {
            if (_started) return;
            try
            {
                // Errors are read per call through virGetLastErrorMessage; without a handler libvirt
                // also prints each one to stderr.
                LibvirtNative.virSetErrorFunc(IntPtr.Zero, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)&IgnoreError);
            }
            catch (DllNotFoundException missing)
            {
                throw new LibvirtException(
                    $"libvirt's client library (libvirt.so.0) is not installed: install libvirt (Debian: libvirt0) to use HostAgent__Driver=Libvirt. {missing.Message}");
            }
            if (LibvirtNative.virInitialize() < 0 || LibvirtNative.virEventRegisterDefaultImpl() < 0)
                throw new LibvirtException($"libvirt could not start its event loop: {LibvirtNative.LastError()}");
            new Thread(Run) { IsBackground = true, Name = "libvirt-events" }.Start();
            _started = true;
        }
    }

    private static void Run()
    {
        while (true)
        {
            // Only fails when the loop itself is broken; the pause keeps a broken loop from spinning.
            if (LibvirtNative.virEventRunDefaultImpl() < 0) Thread.Sleep(100);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void IgnoreError(IntPtr userData, IntPtr error)
    {
    }
}
