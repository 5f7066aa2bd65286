using System.Runtime.InteropServices;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// The few functions of libvirt's C API (libvirt.so.0) the agent calls; there is no maintained
/// binding on NuGet. Only <see cref="LibvirtConnection"/> calls these: everything else sees safe
/// handles and managed types. Signatures follow libvirt's headers (libvirt-host.h, libvirt-domain.h,
/// libvirt-event.h); a returned <c>char*</c> is either owned by libvirt (names, error messages) or
/// must be freed with libc's <c>free</c>, as each comment says. Callbacks are passed as pointers to
/// <c>[UnmanagedCallersOnly]</c> methods (nothing to keep alive for the collector).
/// </summary>
internal static partial class LibvirtNative
{
    private const string Library = "libvirt.so.0";

    public const uint ListDomainsActive = 1;            // VIR_CONNECT_LIST_DOMAINS_ACTIVE
    public const int MetadataElement = 2;               // VIR_DOMAIN_METADATA_ELEMENT
    public const uint AffectLive = 1;                   // VIR_DOMAIN_AFFECT_LIVE
    public const int DomainEventIdLifecycle = 0;        // VIR_DOMAIN_EVENT_ID_LIFECYCLE

    [LibraryImport(Library)]
    public static partial int virInitialize();

    /// <summary>Replaces libvirt's default handler, which prints every error to stderr.</summary>
    [LibraryImport(Library)]
    public static partial void virSetErrorFunc(IntPtr userData, IntPtr handler);

    /// <summary>The calling thread's last error, owned by libvirt (do not free).</summary>
    [LibraryImport(Library)]
    public static partial IntPtr virGetLastErrorMessage();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virConnectOpen(string uri);

    [LibraryImport(Library)]
    public static partial int virConnectClose(IntPtr connection);

    [LibraryImport(Library)]
    public static partial int virConnectIsAlive(ConnectionHandle connection);

    /// <summary>Keepalive probes: a dead daemon closes the connection (and fires the close callback).</summary>
    [LibraryImport(Library)]
    public static partial int virConnectSetKeepAlive(ConnectionHandle connection, int interval, uint count);

    [LibraryImport(Library)]
    public static partial int virConnectRegisterCloseCallback(ConnectionHandle connection, IntPtr callback, IntPtr opaque, IntPtr freeCallback);

    /// <summary>The driver's name ("QEMU", "Test"), owned by libvirt.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr virConnectGetType(ConnectionHandle connection);

    /// <summary>The hypervisor's capabilities for one virtualization type as XML (freed by the caller), or null when that type is not usable here.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virConnectGetDomainCapabilities(ConnectionHandle connection, string? emulator, string? arch, string? machine, string? virtType, uint flags);

    /// <summary>An array of domain pointers, each freed with virDomainFree, the array with libc free.</summary>
    [LibraryImport(Library)]
    public static partial int virConnectListAllDomains(ConnectionHandle connection, out IntPtr domains, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virDomainLookupByName(ConnectionHandle connection, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virDomainCreateXML(ConnectionHandle connection, string xml, uint flags);

    [LibraryImport(Library)]
    public static partial int virDomainFree(IntPtr domain);

    /// <summary>The domain's name, owned by the domain object.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr virDomainGetName(DomainHandle domain);

    /// <summary>The name of a domain libvirt lends to an event callback (not freed by the callee).</summary>
    [LibraryImport(Library, EntryPoint = "virDomainGetName")]
    public static partial IntPtr virDomainGetNameOfBorrowed(IntPtr domain);

    [LibraryImport(Library)]
    public static partial int virDomainGetState(DomainHandle domain, out int state, out int reason, uint flags);

    /// <summary>The metadata element under <paramref name="uri"/>, to be freed with libc free.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virDomainGetMetadata(DomainHandle domain, int type, string uri, uint flags);

    /// <summary>The domain's XML, to be freed with libc free.</summary>
    [LibraryImport(Library)]
    public static partial IntPtr virDomainGetXMLDesc(DomainHandle domain, uint flags);

    /// <summary>Asks the guest to power off (ACPI); returns at once.</summary>
    [LibraryImport(Library)]
    public static partial int virDomainShutdown(DomainHandle domain);

    /// <summary>Pulls the plug: the qemu process is killed.</summary>
    [LibraryImport(Library)]
    public static partial int virDomainDestroy(DomainHandle domain);

    [LibraryImport(Library)]
    public static partial int virEventRegisterDefaultImpl();

    /// <summary>Runs one iteration of the default event loop (blocks until something happens).</summary>
    [LibraryImport(Library)]
    public static partial int virEventRunDefaultImpl();

    [LibraryImport(Library)]
    public static partial int virConnectDomainEventRegisterAny(
        ConnectionHandle connection, IntPtr domain, int eventId, IntPtr callback, IntPtr opaque, IntPtr freeCallback);

    [LibraryImport(Library)]
    public static partial int virConnectDomainEventDeregisterAny(ConnectionHandle connection, int callbackId);

    [LibraryImport("libc.so.6")]
    public static partial void free(IntPtr pointer);

    /// <summary>Reads a string libvirt returned and frees it with libc free; null for a null pointer.</summary>
    public static string? TakeString(IntPtr pointer)
    {
        if (pointer == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(pointer); }
        finally { free(pointer); }
    }

    /// <summary>Why the last call on this thread failed, in libvirt's words.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(virGetLastErrorMessage()) ?? "unknown libvirt error";
}
