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
}
