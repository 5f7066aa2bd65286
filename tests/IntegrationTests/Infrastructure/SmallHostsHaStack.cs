namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Three hosts of 4 cores each: small enough that a failed host's VMs cannot all fit elsewhere.</summary>
public sealed class SmallHostsHaStack() : HaStack(fleetSize: 3)
{
    public const int CoresPerHost = 4;

    protected override int HostCpuCores => CoresPerHost;

    protected override IEnumerable<string> TagsOf(string hostId) => [];
}
