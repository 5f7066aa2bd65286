using Microsoft.Win32.SafeHandles;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>A virConnectPtr, closed exactly once however the agent stops using it.</summary>
internal sealed class ConnectionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectionHandle() : base(ownsHandle: true) { }

    public ConnectionHandle(IntPtr connection) : base(ownsHandle: true) => SetHandle(connection);

    protected override bool ReleaseHandle() => LibvirtNative.virConnectClose(handle) >= 0;
}

/// <summary>A virDomainPtr, freed exactly once.</summary>
internal sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle() : base(ownsHandle: true) { }

    public DomainHandle(IntPtr domain) : base(ownsHandle: true) => SetHandle(domain);

    protected override bool ReleaseHandle() => LibvirtNative.virDomainFree(handle) == 0;
}
