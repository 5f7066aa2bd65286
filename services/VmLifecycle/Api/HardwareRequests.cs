namespace CloudBus.VmLifecycle.Api;

/// <summary>A disk on POST /vms: an image file on storage the VM's hosts reach (absolute path), raw or qcow2 (default).</summary>
public sealed record DiskRequest(string? Source, string? Format = null);

/// <summary>A NIC on POST /vms: its MAC (generated when not given), and a libvirt network or a bridge (neither: user-mode networking).</summary>
public sealed record NicRequest(string? Mac = null, string? Network = null, string? Bridge = null);
