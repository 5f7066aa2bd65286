using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// One connection to a libvirt daemon, reopened when the daemon restarts (its domains keep
/// running; its event clients are dropped). Every call opens the connection if it is not open;
/// a call that fails because the daemon is gone throws <see cref="LibvirtUnavailableException"/>.
/// Lifecycle events arrive on <see cref="Events"/>; after a reopen <see cref="DomainLifecycleEvent.Resync"/>
/// says events may have been missed.
/// </summary>
public sealed unsafe class LibvirtConnection : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Channel<DomainLifecycleEvent> _events = Channel.CreateUnbounded<DomainLifecycleEvent>();
    private readonly GCHandle _self;
    private ConnectionHandle? _handle;
    private volatile bool _closedByDaemon;
    private bool _everOpened;

    /// <param name="uri">For example <c>qemu:///system</c>, or <c>qemu:///session?socket=/run/x/libvirt-sock</c>.</param>
    /// <param name="metadataNamespace">The namespace of the agent's element in each domain's metadata.</param>
    public LibvirtConnection(string uri, string metadataNamespace)
    {
        Uri = uri;
        MetadataNamespace = metadataNamespace;
        _self = GCHandle.Alloc(this);
        LibvirtEventLoop.EnsureStarted();
    }

    public string Uri { get; }

    public string MetadataNamespace { get; }

    public ChannelReader<DomainLifecycleEvent> Events => _events.Reader;

    /// <summary>The hypervisor driver behind the connection: "QEMU", "Test", ...</summary>
    /// <summary>
    /// Whether the hypervisor can run domains of <paramref name="virtType"/> ("kvm" needs a usable
    /// /dev/kvm for the daemon's user, not merely the device file).
    /// </summary>
    public bool Supports(string virtType)
    {
        var capabilities = LibvirtNative.virConnectGetDomainCapabilities(Handle(), null, null, null, virtType, 0);
        return LibvirtNative.TakeString(capabilities) is not null;
    }

    public string DriverType() => Marshal.PtrToStringUTF8(Call(LibvirtNative.virConnectGetType, nameof(DriverType))) ?? "";

    /// <summary>Opens the connection if it is not open (or was closed by the daemon); cheap when it is.</summary>
    public void EnsureOpen()
    {
        lock (_gate) _ = OpenLocked();
    }

    /// <summary>Every running or paused domain, with the agent's metadata element when it has one.</summary>
    public IReadOnlyList<DomainInfo> ListActiveDomains()
    {
        var handle = Handle();
        var count = LibvirtNative.virConnectListAllDomains(handle, out var array, LibvirtNative.ListDomainsActive);
        if (count < 0) throw Failure(handle, "list domains");
        try
        {
            var domains = new List<DomainInfo>(count);
            for (var i = 0; i < count; i++)
            {
                using var domain = new DomainHandle(Marshal.ReadIntPtr(array, i * IntPtr.Size));
                if (Describe(domain) is { } info) domains.Add(info);
            }
            return domains;
        }
        finally { LibvirtNative.free(array); }
    }

    /// <summary>The running domain named <paramref name="name"/>, or null when there is none.</summary>
    public DomainInfo? Find(string name)
    {
        using var domain = Lookup(name);
        return domain is null ? null : Describe(domain);
    }

    /// <summary>Starts a transient domain from <paramref name="xml"/> (it is gone once it stops).</summary>
    public void Create(string xml)
    {
        var handle = Handle();
        var created = LibvirtNative.virDomainCreateXML(handle, xml, 0);
        if (created == IntPtr.Zero) throw Failure(handle, "start the domain");
        new DomainHandle(created).Dispose();
    }

    /// <summary>Asks the guest to shut down (ACPI). False when no such domain runs.</summary>
    public bool Shutdown(string name) => Act(name, LibvirtNative.virDomainShutdown, "shut down");

    /// <summary>Kills the domain at once. False when no such domain runs.</summary>
    public bool Destroy(string name) => Act(name, LibvirtNative.virDomainDestroy, "destroy");

    /// <summary>The live XML of the running domain, or null when there is none.</summary>
    public string? LiveXml(string name)
    {
        using var domain = Lookup(name);
        return domain is null ? null : LibvirtNative.TakeString(LibvirtNative.virDomainGetXMLDesc(domain, 0));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _handle?.Dispose();
            _handle = null;
        }
        _events.Writer.TryComplete();
        if (_self.IsAllocated) _self.Free();
    }

    private bool Act(string name, Func<DomainHandle, int> action, string what)
    {
        using var domain = Lookup(name);
        if (domain is null) return false;
        if (action(domain) == 0) return true;
        var error = LibvirtNative.LastError();
        // It may have stopped between the lookup and the call: then there is nothing to do.
        if (Find(name) is null) return false;
        throw new LibvirtException($"libvirt could not {what} domain {name}: {error}");
    }

    private DomainHandle? Lookup(string name)
    {
        var handle = Handle();
        var domain = LibvirtNative.virDomainLookupByName(handle, name);
        if (domain != IntPtr.Zero) return new DomainHandle(domain);
        // NULL both for "no such domain" and for a dead connection: only the second is a failure.
        if (LibvirtNative.virConnectIsAlive(handle) != 1) throw Unavailable(handle);
        return null;
    }

    private DomainInfo? Describe(DomainHandle domain)
    {
        var name = Marshal.PtrToStringUTF8(LibvirtNative.virDomainGetName(domain));
        if (name is null || LibvirtNative.virDomainGetState(domain, out var state, out _, 0) < 0) return null;
        var metadata = LibvirtNative.TakeString(
            LibvirtNative.virDomainGetMetadata(domain, LibvirtNative.MetadataElement, MetadataNamespace, LibvirtNative.AffectLive));
        return new DomainInfo(name, state, metadata);
    }

    private IntPtr Call(Func<ConnectionHandle, IntPtr> call, string what)
    {
        var handle = Handle();
        var result = call(handle);
        return result != IntPtr.Zero ? result : throw Failure(handle, what);
    }

    private ConnectionHandle Handle()
    {
        lock (_gate) return OpenLocked();
    }

    private ConnectionHandle OpenLocked()
    {
        if (_handle is { } open && !_closedByDaemon) return open;
        _handle?.Dispose();
        _handle = null;
        _closedByDaemon = false;
        var opened = LibvirtNative.virConnectOpen(Uri);
        if (opened == IntPtr.Zero) throw new LibvirtUnavailableException($"libvirt at {Uri} cannot be reached: {LibvirtNative.LastError()}");
        var handle = new ConnectionHandle(opened);
        // Keepalive lets a dead daemon be noticed without a call (not every driver supports it).
        _ = LibvirtNative.virConnectSetKeepAlive(handle, 2, 3);
        var self = GCHandle.ToIntPtr(_self);
        _ = LibvirtNative.virConnectRegisterCloseCallback(
            handle, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr, void>)&OnClosed, self, IntPtr.Zero);
        if (LibvirtNative.virConnectDomainEventRegisterAny(handle, IntPtr.Zero, LibvirtNative.DomainEventIdLifecycle,
                (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, IntPtr, int>)&OnLifecycle, self, IntPtr.Zero) < 0)
        {
            var error = LibvirtNative.LastError();
            handle.Dispose();
            throw new LibvirtUnavailableException($"libvirt at {Uri} refused lifecycle events: {error}");
        }
        _handle = handle;
        if (_everOpened) _events.Writer.TryWrite(DomainLifecycleEvent.Resync);
        _everOpened = true;
        return handle;
    }

    private LibvirtException Failure(ConnectionHandle handle, string what)
    {
        var error = LibvirtNative.LastError();
        return LibvirtNative.virConnectIsAlive(handle) == 1
            ? new LibvirtException($"libvirt could not {what}: {error}")
            : Unavailable(handle);
    }

    private LibvirtUnavailableException Unavailable(ConnectionHandle handle)
    {
        lock (_gate)
        {
            if (ReferenceEquals(handle, _handle)) _closedByDaemon = true;
        }
        return new LibvirtUnavailableException($"the connection to libvirt at {Uri} is closed");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnClosed(IntPtr connection, int reason, IntPtr opaque)
    {
        // Runs on the event loop thread: only note it; the next call reopens.
        if (GCHandle.FromIntPtr(opaque).Target is LibvirtConnection self) self._closedByDaemon = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnLifecycle(IntPtr connection, IntPtr domain, int @event, int detail, IntPtr opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is LibvirtConnection self
            && Marshal.PtrToStringUTF8(LibvirtNative.virDomainGetNameOfBorrowed(domain)) is { } name)
            self._events.Writer.TryWrite(new DomainLifecycleEvent(name, @event, detail));
        return 0;
    }
}
