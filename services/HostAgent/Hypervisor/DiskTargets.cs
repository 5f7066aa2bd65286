namespace CloudBus.HostAgent.Hypervisor;

/// <summary>The guest's names for a VM's disks, in the order given: vda, vdb, ...</summary>
public static class DiskTargets
{
    public const int Max = 16;

    public static string Name(int index) => "vd" + (char)('a' + index);
}
