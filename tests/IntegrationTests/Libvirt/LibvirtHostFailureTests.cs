using System.Net.Http.Json;
using CloudBus.Messages.Vms;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>
/// Host failures on real libvirt hosts (QEMU domains), the whole control plane watching. Each
/// test fails a different host of the five (host-4 always stays), so they run in any order on one
/// stack; the audit lists every daemon's domains every 100 ms and must never find a VM on two hosts.
/// </summary>
public sealed class LibvirtHostFailureTests(LibvirtHaStack stack) : IClassFixture<LibvirtHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_host_that_loses_power_has_its_ha_vms_running_as_domains_elsewhere_and_none_twice()
    {
        await stack.RegisterFleetAsync();
        var vms = new[] { await HaVms.StartAsync(stack, "web", "host-1", "OnHostFailure"), await HaVms.StartAsync(stack, "db", "host-1", "NeverStop") };
        await WaitSeenAsync(vms, "host-1");

        await stack.Host("host-1").PowerOffAsync();

        foreach (var vm in vms) await RunningElsewhereAsync(vm, "host-1");
        Assert.Empty(stack.Audit.DoubleRuns);
        var incident = await IncidentAsync("host-1");
        Assert.Equal("proven fenced by self-fence", Assert.Single(incident.Timeline, s => s.Step == "Fenced").Detail);
        // Its neighbours tried to reach it over the hosts' own network, and could not.
        Assert.Contains(incident.Timeline, s => s.Evidence.Any(e => e.Contains("cannot reach it", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_agent_killed_while_its_vms_run_gets_its_host_reset_by_the_watchdog_and_only_then_are_they_restarted()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "app", "host-2", "OnHostFailure");
        await WaitSeenAsync([vm], "host-2");

        stack.Host("host-2").Agent.Kill();

        await Eventually.HoldsAsync(() => Task.FromResult(stack.Host("host-2").Watchdog!.Output.Contains("resetting the host", StringComparison.Ordinal)),
            Timeout, "the watchdog to reset host-2");
        await RunningElsewhereAsync(vm, "host-2");
        Assert.Empty(stack.Audit.DoubleRuns);
        var fenced = Assert.Single((await IncidentAsync("host-2")).Timeline, s => s.Step == "Fenced");
        Assert.Equal("proven fenced by self-fence", fenced.Detail);
        Assert.Contains(fenced.Evidence, e => e.Contains("a watchdog backing it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_never_stop_vm_whose_qemu_is_killed_is_seen_stopped_through_the_hosts_event_and_started_again()
    {
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "critical", "host-3", "NeverStop");
        await WaitSeenAsync([vm], "host-3");
        var first = await stack.Host("host-3").Daemon.QemuPidAsync(vm.VmId.ToString());

        System.Diagnostics.Process.GetProcessById(first).Kill();

        // A VM that crashed is started on another host (its own may be the cause).
        var restarted = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running" && v.Incarnation > vm.Incarnation, TimeSpan.FromSeconds(45), "the VM running again in a new incarnation");
        var host = stack.Host(restarted.HostId!);
        await Eventually.HoldsAsync(async () => File.Exists(Path.Combine(host.Daemon.Directory, "run", "libvirt", "qemu", "run", $"{vm.VmId}.pid"))
                && await host.Daemon.QemuPidAsync(vm.VmId.ToString()) != first,
            Timeout, "a new qemu process for the VM");
        Assert.Empty(stack.Audit.DoubleRuns);
        // Within the minute a mere absence would wait: the host's event said it died.
        Assert.Contains($"VM {vm.VmId} on host host-3: died (qemu process failed) (host event)", stack.HostMonitor.RecentOutput);
    }

    [Fact]
    public async Task A_vms_devices_are_recorded_after_its_start_and_reboot_and_a_hot_plugged_disk_is_picked_up_by_sync()
    {
        await stack.RegisterFleetAsync();
        var daemon = stack.Host("host-2").Daemon;
        var root = await daemon.CreateDiskImageAsync("devices-root");
        var created = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new
        {
            name = "devices", cpuCores = 1, memoryMib = 64, disks = new[] { new { source = root } }, nics = new[] { new { mac = "52:54:00:00:be:ef" } },
        });
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{created.VmId}/start", new { hostId = "host-2" });

        var started = (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{created.VmId}")).Devices!;
        Assert.Equal("Start", started.ReportedBy);
        Assert.Equal([new VmDisk("vda", root, "virtio")], started.Disks);
        Assert.Equal([new VmNic("52:54:00:00:be:ef", null, "virtio")], started.Nics);

        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{created.VmId}/reboot", new { });
        var rebooted = (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{created.VmId}")).Devices!;
        Assert.Equal("Reboot", rebooted.ReportedBy);
        Assert.Equal(started.Disks, rebooted.Disks);

        var data = await daemon.CreateDiskImageAsync("devices-data");
        await daemon.HotPlugDiskAsync(created.VmId.ToString(), data, "vdb");

        var hotPlugged = await Eventually.ReturnsAsync(async () => (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{created.VmId}")).Devices!,
            d => d.Disks.Count == 2, Timeout, "the hot-plugged disk to be recorded");
        Assert.Equal(("Sync", new VmDisk("vdb", data, "virtio")), (hotPlugged.ReportedBy, hotPlugged.Disks[1]));
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{created.VmId}/destroy", new { });
    }

    [Fact]
    public async Task A_dead_host_whose_agent_has_no_watchdog_is_not_fenced_without_a_bmc_and_its_vm_is_not_restarted()
    {
        const string host = LibvirtHaStack.UnwatchedHost;
        await stack.RegisterFleetAsync();
        var vm = await HaVms.StartAsync(stack, "unwatched", host, "OnHostFailure");
        await WaitSeenAsync([vm], host);

        await stack.Host(host).PowerOffAsync();

        // Silent far past its self-fence time: still not fenced, as its heartbeat never said a watchdog backs it (and there is no BMC).
        var incident = await Eventually.ReturnsAsync(async () =>
            {
                var listed = await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={host}");
                return listed.Count == 0 ? null : await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed[0].IncidentId}");
            },
            i => i?.Timeline.Count(s => s.Step == "Not fenced") >= 2, Timeout, $"two fencing attempts on {host} to fail");
        Assert.Contains(incident!.Timeline, s => s.Step == "Not fenced"
            && s.Evidence.Any(e => e.Contains("does not say a watchdog backs its self-fence", StringComparison.Ordinal)));
        Assert.DoesNotContain(incident.Timeline, s => s.Step == "Fenced");
        Assert.Equal(host, (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}")).HostId);
        Assert.DoesNotContain(stack.Audit.HostsOf(vm.VmId.ToString()), h => h != host);
        Assert.Empty(stack.Audit.DoubleRuns);
    }

    [Fact]
    public async Task A_host_at_a_plain_http_address_is_refused_where_agents_speak_mutual_tls()
    {
        var plain = new UriBuilder(stack.Host("host-4").Agent.BaseAddress) { Scheme = "http" }.Uri;

        using var response = await stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, "hosts"), new
        {
            hostId = "host-9", agentAddress = plain.ToString(), cluster = "cluster-a", cpuCores = 4, memoryMib = 4096,
        });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("plain http: agents are called over https only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task WaitSeenAsync(IEnumerable<VmView> vms, string hostId)
    {
        foreach (var vm in vms)
            await Eventually.HoldsAsync(() => Task.FromResult(stack.Audit.HostsOf(vm.VmId.ToString()).Contains(hostId)), Timeout,
                $"libvirt on {hostId} to run {vm.Name}");
    }

    private async Task RunningElsewhereAsync(VmView vm, string failedHost)
    {
        var now = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running" && v.HostId != failedHost, Timeout, $"{vm.Name} running on another host");
        await Eventually.HoldsAsync(() => Task.FromResult(stack.Audit.HostsOf(vm.VmId.ToString()).Contains(now.HostId!)), Timeout,
            $"libvirt on {now.HostId} to run {vm.Name}");
    }

    private async Task<Incident> IncidentAsync(string hostId)
    {
        var listed = await Eventually.ReturnsAsync(() => stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={hostId}"),
            list => list.Count > 0, Timeout, $"an incident for {hostId}");
        return await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{listed[0].IncidentId}");
    }
}
