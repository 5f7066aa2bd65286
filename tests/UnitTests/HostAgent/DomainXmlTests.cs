using System.Xml.Linq;
using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Libvirt;

namespace CloudBus.UnitTests.HostAgent;

public sealed class DomainXmlTests
{
    [Fact]
    public void A_domain_carries_the_vms_run_and_shape_in_its_metadata_and_reads_back()
    {
        var xml = XElement.Parse(DomainXml.For("vm-<1>", new VmSpec(Incarnation: 9, CpuCores: 4, MemoryMib: 2048), "qemu"));

        Assert.Equal(("qemu", "vm-<1>", "2048", "4"),
            ((string?)xml.Attribute("type"), xml.Element("name")?.Value, xml.Element("memory")?.Value, xml.Element("vcpu")?.Value));
        // libvirt hands back the metadata element itself (without the namespace prefix).
        var metadata = xml.Element("metadata")!.Elements().Single().ToString();
        Assert.Equal(new DomainVm("vm-<1>", 9, 4, 2048), DomainXml.Read(metadata));
        Assert.Equal(new DomainVm("a", 1, 2, 3),
            DomainXml.Read("<vm><id>a</id><incarnation>1</incarnation><cpuCores>2</cpuCores><memoryMib>3</memoryMib></vm>"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<vm><id>a</id></vm>")]
    [InlineData("<vm><id>a</id><incarnation>-1</incarnation><cpuCores>1</cpuCores><memoryMib>1</memoryMib></vm>")]
    [InlineData("not xml")]
    public void Metadata_that_is_missing_or_not_ours_names_no_vm(string? metadata) => Assert.Null(DomainXml.Read(metadata));

    [Fact]
    public void Disks_and_nics_given_are_in_the_domain_and_read_back_as_its_devices()
    {
        var spec = new VmSpec(1, 1, 64, [new DiskSpec("/mnt/cluster-a/vm1.qcow2", "qcow2"), new DiskSpec("/mnt/cluster-a/data.raw", "raw")],
            [new NicSpec("52:54:00:AA:BB:CC"), new NicSpec("52:54:00:00:00:02", Network: "default"), new NicSpec("52:54:00:00:00:03", Bridge: "br0")]);

        var devices = DomainXml.Devices(DomainXml.For("vm-1", spec, "qemu"))!;

        Assert.Equal([new VmDisk("vda", "/mnt/cluster-a/vm1.qcow2", "virtio"), new VmDisk("vdb", "/mnt/cluster-a/data.raw", "virtio")], devices.Disks);
        Assert.Equal([new VmNic("52:54:00:aa:bb:cc", null, "virtio"), new VmNic("52:54:00:00:00:02", "default", "virtio"),
            new VmNic("52:54:00:00:00:03", "br0", "virtio")], devices.Nics);
    }

    [Fact]
    public void Devices_are_read_from_the_live_xml_as_libvirt_writes_it_cdroms_and_unnamed_devices_aside()
    {
        const string live = """
            <domain type='qemu' id='3'><name>vm</name><devices>
              <emulator>/usr/bin/qemu-system-x86_64</emulator>
              <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/a.qcow2' index='2'/><target dev='vda' bus='virtio'/></disk>
              <disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vdb' bus='virtio'/><alias name='virtio-disk1'/></disk>
              <disk type='volume' device='disk'><source pool='ceph' volume='vm-disk'/><target dev='sda' bus='scsi'/></disk>
              <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>
              <interface type='bridge'><mac address='52:54:00:11:22:33'/><source bridge='br0'/><model type='virtio'/></interface>
              <interface type='user'><mac address='52:54:00:44:55:66'/><model type='e1000'/></interface>
            </devices></domain>
            """;

        var devices = DomainXml.Devices(live)!;

        Assert.Equal([new VmDisk("vda", "/a.qcow2", "virtio"), new VmDisk("vdb", "/dev/sdb", "virtio"), new VmDisk("sda", "ceph/vm-disk", "scsi")], devices.Disks);
        Assert.Equal([new VmNic("52:54:00:11:22:33", "br0", "virtio"), new VmNic("52:54:00:44:55:66", null, "e1000")], devices.Nics);
        Assert.Null(DomainXml.Devices("not xml"));
        Assert.Null(DomainXml.Devices(null));
    }
}
