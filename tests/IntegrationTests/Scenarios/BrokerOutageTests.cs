using CloudBus.HostMonitor.Monitoring;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// The broker goes away while the control plane keeps working through its APIs: every change made
/// meanwhile is stored with its announcement, and each announcement arrives once the broker is
/// back, exactly once (the outbox; nothing is published from memory).
/// </summary>
public sealed class BrokerOutageTests(ControlPlaneStack stack) : IClassFixture<ControlPlaneStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Changes_made_while_the_broker_is_away_are_announced_once_it_is_back_each_exactly_once()
    {
        await stack.RegisterFleetAsync();
        await using var bus = await TestBus.StartAsync(stack.Environment);
        var registrations = await bus.CaptureDurablyAsync<HostRegistered>("outage-test-host-registered");
        var vmChanges = await bus.CaptureDurablyAsync<VmStateChanged>("outage-test-vm-state-changed");
        var completions = await bus.CaptureDurablyAsync<VmCommandCompleted>("outage-test-vm-command-completed");
        var maintenance = await bus.CaptureDurablyAsync<HostMaintenanceChanged>("outage-test-host-maintenance-changed");
        var statuses = await bus.CaptureDurablyAsync<HostStatusChanged>("outage-test-host-status-changed");
        await stack.PostAsync<object>(stack.BackDoor, "fleet/hosts", new { hostId = "late-host", cluster = "cluster-a", cpuCores = 16, memoryMib = 32768 });

        VmView vm;
        await stack.Servers.VirtualHost.SuspendAsync();
        try
        {
            // The APIs need only the database and the hosts: each change commits with its announcement.
            Assert.True(await stack.EnsureHostRegisteredAsync("late-host", Enumerable.Empty<string>()));
            vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "outage", cpuCores = 1, memoryMib = 256 });
            var started = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-1" });
            Assert.Equal("Running", started.State);
            await stack.PostAsync<object>(stack.VmLifecycle, "hosts/host-2/maintenance", new { enabled = true, reason = "outage test" });
        }
        finally
        {
            await stack.Servers.VirtualHost.ResumeAsync();
        }

        await registrations.WaitForAsync(r => r.HostId == "late-host", Timeout, "late-host's registration");
        await vmChanges.WaitForAsync(c => c.VmId == vm.VmId && c.To == VmState.Running, Timeout, "the VM's change to Running");
        await completions.WaitForAsync(c => c.VmId == vm.VmId && c.Operation == VmOperationKind.Start, Timeout, "the start's end");
        await maintenance.WaitForAsync(m => m.HostId == "host-2", Timeout, "host-2's maintenance");
        // HostMonitor heard of the maintenance only after the outage, and announced its own change in turn.
        await statuses.WaitForAsync(s => s.HostId == "host-2" && s.To == HostStatus.Maintenance, Timeout, "host-2 Maintenance at HostMonitor");
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostSnapshot>(stack.HostMonitor, "hosts/late-host"), h => h.Status == "Connected", Timeout,
            "HostMonitor to watch late-host");

        // A last change, announced after all of the above: once it is here, any repeat of them would be too.
        await stack.PostAsync<object>(stack.VmLifecycle, "hosts/host-2/maintenance", new { enabled = false });
        await maintenance.WaitForAsync(m => m.HostId == "host-2" && !m.InMaintenance, Timeout, "host-2 back in service");

        Assert.Single(registrations.Snapshot(), r => r.HostId == "late-host");
        Assert.Single(vmChanges.Snapshot(), c => c.VmId == vm.VmId && c.To == VmState.Starting);
        Assert.Single(vmChanges.Snapshot(), c => c.VmId == vm.VmId && c.To == VmState.Running);
        Assert.Single(completions.Snapshot(), c => c.VmId == vm.VmId && c.Operation == VmOperationKind.Start);
        Assert.Single(maintenance.Snapshot(), m => m.HostId == "host-2" && m.InMaintenance);
        Assert.Single(statuses.Snapshot(), s => s.HostId == "host-2" && s.To == HostStatus.Maintenance);
        Assert.Empty(await stack.Servers.VirtualHost.ParkedMessagesAsync());
    }
}
