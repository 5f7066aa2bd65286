namespace CloudBus.HostAgent.Libvirt;

/// <summary>libvirt refused a call; the message is libvirt's own.</summary>
public class LibvirtException(string message) : Exception(message);

/// <summary>The daemon cannot be reached (stopped, restarting, or the socket is gone): nothing was done.</summary>
public sealed class LibvirtUnavailableException(string message) : LibvirtException(message);
