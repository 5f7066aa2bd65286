using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Creating and starting VMs for HA scenarios.</summary>
public static class HaVms
{
    /// <summary>Creates a VM with the given HA settings and starts it on <paramref name="hostId"/>.</summary>
    public static async Task<VmView> StartAsync(ControlPlaneStack stack, string name, string hostId, string haLevel, int cpuCores = 1, int priority = 0)
    {
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms",
            new { name = $"{name}-{Guid.NewGuid().ToString("N")[..6]}", cpuCores, memoryMib = 256, haLevel, restartPriority = priority });
        return await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId });
    }
}
