using System.Globalization;
using System.Xml.Linq;
using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// A VM as a libvirt domain: <see cref="VmSpec"/> to domain XML, and back from the domain's
/// metadata. The VM's id names the domain; its id, incarnation and shape are also kept in the
/// domain's <c>&lt;metadata&gt;</c>, so an agent restarted while the domain runs still reports
/// which run it is.
/// </summary>
public static class DomainXml
{
    /// <summary>The namespace of the agent's element in a domain's metadata.</summary>
    public const string Namespace = "urn:cloudbus:vm:1";

    /// <param name="domainType">"kvm" on a host with /dev/kvm, "qemu" for TCG, "test" for libvirt's test driver.</param>
    public static string For(string vmId, VmSpec spec, string domainType)
    {
        XNamespace cb = Namespace;
        var domain = new XElement("domain", new XAttribute("type", domainType),
            new XElement("name", vmId),
            new XElement("metadata",
                new XElement(cb + "vm", new XAttribute(XNamespace.Xmlns + "cloudbus", Namespace),
                    new XElement(cb + "id", vmId),
                    new XElement(cb + "incarnation", spec.Incarnation),
                    new XElement(cb + "cpuCores", spec.CpuCores),
                    new XElement(cb + "memoryMib", spec.MemoryMib))),
            new XElement("memory", new XAttribute("unit", "MiB"), spec.MemoryMib),
            new XElement("vcpu", spec.CpuCores),
            new XElement("os", new XElement("type", "hvm"), new XElement("bios", new XAttribute("useserial", "yes"))),
            // ACPI: what a graceful stop asks the guest through, and what PCI hot-plug (a disk or NIC added live) needs.
            new XElement("features", new XElement("acpi"), new XElement("apic")),
            // A guest that powers off or crashes is gone (the domain is transient); the control
            // plane decides what happens next, not libvirt.
            new XElement("on_poweroff", "destroy"),
            new XElement("on_reboot", "restart"),
            new XElement("on_crash", "destroy"),
            new XElement("devices",
                spec.DisksGiven.Select((disk, index) => Disk(disk, index)),
                spec.NicsGiven.Select(Nic),
                new XElement("controller", new XAttribute("type", "usb"), new XAttribute("model", "none")),
                new XElement("memballoon", new XAttribute("model", "none")),
                // The guest's console, for `virsh console` (and the BIOS's output, useserial).
                new XElement("serial", new XAttribute("type", "pty")),
                new XElement("console", new XAttribute("type", "pty"))));
        return domain.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement Disk(DiskSpec disk, int index) =>
        new("disk", new XAttribute("type", "file"), new XAttribute("device", "disk"),
            new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", disk.Format)),
            new XElement("source", new XAttribute("file", disk.Source)),
            new XElement("target", new XAttribute("dev", DiskTargets.Name(index)), new XAttribute("bus", "virtio")));

    private static XElement Nic(NicSpec nic)
    {
        var (type, source) = nic switch
        {
            { Network: { } network } => ("network", new XElement("source", new XAttribute("network", network))),
            { Bridge: { } bridge } => ("bridge", new XElement("source", new XAttribute("bridge", bridge))),
            _ => ("user", null),
        };
        return new XElement("interface", new XAttribute("type", type),
            new XElement("mac", new XAttribute("address", nic.Mac.ToLowerInvariant())),
            source,
            new XElement("model", new XAttribute("type", "virtio")));
    }

    /// <summary>
    /// The disks and NICs in a domain's live XML (<c>virDomainGetXMLDesc</c>): what the guest has
    /// now, including devices hot-plugged after the start. Null when the XML cannot be read.
    /// </summary>
    public static VmDevices? Devices(string? liveXml)
    {
        if (string.IsNullOrEmpty(liveXml)) return null;
        try
        {
            var devices = XElement.Parse(liveXml).Element("devices");
            if (devices is null) return VmDevices.None;
            var disks = devices.Elements("disk")
                .Where(d => (string?)d.Attribute("device") is null or "disk")
                .Select(d => (Disk: d, Target: d.Element("target")))
                .Where(d => d.Target?.Attribute("dev") is not null)
                .Select(d => new VmDisk((string)d.Target!.Attribute("dev")!, SourceOf(d.Disk.Element("source")), (string?)d.Target.Attribute("bus")));
            var nics = devices.Elements("interface")
                .Where(i => i.Element("mac")?.Attribute("address") is not null)
                .Select(i => new VmNic((string)i.Element("mac")!.Attribute("address")!,
                    (string?)i.Element("source")?.Attribute("network") ?? (string?)i.Element("source")?.Attribute("bridge"),
                    (string?)i.Element("model")?.Attribute("type")));
            return new VmDevices([.. disks], [.. nics]);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>A disk's data: a file, a block device, or a volume of a storage pool.</summary>
    private static string? SourceOf(XElement? source) =>
        source is null ? null
            : (string?)source.Attribute("file") ?? (string?)source.Attribute("dev")
            ?? ((string?)source.Attribute("pool") is { } pool ? $"{pool}/{(string?)source.Attribute("volume")}" : null);

    /// <summary>The VM a domain runs, from its metadata element; null for a domain CloudBus did not start.</summary>
    public static DomainVm? Read(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata)) return null;
        try
        {
            var vm = XElement.Parse(metadata);
            // libvirt hands the element back under the namespace given or none; match by local name.
            string? Field(string name) => vm.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            return Field("id") is { Length: > 0 } id
                   && long.TryParse(Field("incarnation"), NumberStyles.None, CultureInfo.InvariantCulture, out var incarnation)
                   && int.TryParse(Field("cpuCores"), NumberStyles.None, CultureInfo.InvariantCulture, out var cpu)
                   && int.TryParse(Field("memoryMib"), NumberStyles.None, CultureInfo.InvariantCulture, out var memory)
                ? new DomainVm(id, incarnation, cpu, memory)
                : null;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}

/// <summary>What a domain's metadata says about the VM it runs.</summary>
public sealed record DomainVm(string VmId, long Incarnation, int CpuCores, int MemoryMib);
