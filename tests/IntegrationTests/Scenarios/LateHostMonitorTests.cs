using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;
using Dapper;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// A HostMonitor that starts with an empty VM view (deployed after VMs were placed, or its table
/// lost) catches up from VmLifecycle, so a VM that then dies on its host is still noticed.
/// </summary>
public sealed class LateHostMonitorTests(ControlPlaneStack stack) : IClassFixture<ControlPlaneStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_host_monitor_started_with_an_empty_vm_view_learns_the_placed_vms_and_notices_one_that_dies()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "watched-late", "host-2", "None");
        foreach (var instance in stack.HostMonitors) instance.Kill();
        await using (var connection = await stack.Servers.Database.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("DELETE FROM host_monitor.vm_view");
        await stack.StartAnotherHostMonitorAsync();

        using var crash = await stack.Http.PostAsync(new Uri(stack.BackDoor, $"hosts/host-2/faults/crash-vm/{vm.VmId}"), null);
        await ApiAssert.SucceededAsync(crash);

        var stopped = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Stopped", Timeout, "the crashed VM to be Stopped");
        Assert.Contains("host-2 reports it Stopped", stopped.StateReason);
    }
}
