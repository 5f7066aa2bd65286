using System.Net;
using System.Net.Http.Json;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Api;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>VmLifecycle's HTTP API: bad input gets a clear 4xx and changes nothing; reboot, destroy and HA settings.</summary>
public sealed class VmApiTests(ControlPlaneStack stack) : IClassFixture<ControlPlaneStack>
{
    private static readonly string[] MetadataServiceAddress = ["http://169.254.169.254/"];

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bad_input_unknown_ids_and_illegal_transitions_get_a_clear_4xx_and_leave_the_database_unchanged()
    {
        await stack.RegisterFleetAsync();
        var created = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "quiet", cpuCores = 1, memoryMib = 512 });
        var before = await SnapshotAsync();

        var invalidVm = await SendAsync(HttpMethod.Post, "vms", new { name = "", cpuCores = 0, memoryMib = 1, haLevel = "Sometimes" });
        Assert.Equal(HttpStatusCode.BadRequest, invalidVm.Status);
        foreach (var field in new[] { "name", "cpuCores", "memoryMib", "haLevel" }) Assert.Contains(field, invalidVm.Body);

        var invalidHost = await SendAsync(HttpMethod.Post, "hosts", new { hostId = "bad id", agentAddress = "ftp://x", cluster = "c", cpuCores = 1, memoryMib = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, invalidHost.Status);
        Assert.Contains("agentAddress", invalidHost.Body);
        // A cloud's metadata service is no agent: the control plane would send it requests.
        var metadataService = await SendAsync(HttpMethod.Post, "hosts", new
        {
            hostId = "metadata", agentAddress = "http://127.0.0.1:7070/", alternateAgentAddresses = MetadataServiceAddress,
            cluster = "c", cpuCores = 1, memoryMib = 1,
        });
        Assert.Equal(HttpStatusCode.BadRequest, metadataService.Status);
        Assert.Contains("is outside the networks agents may be registered in", metadataService.Body);

        var unknown = Guid.NewGuid();
        var unknownStart = await SendAsync(HttpMethod.Post, $"vms/{unknown}/start", new { });
        Assert.Equal(HttpStatusCode.NotFound, unknownStart.Status);
        Assert.Contains($"VM {unknown} does not exist", unknownStart.Body);

        var illegal = await SendAsync(HttpMethod.Post, $"vms/{created.VmId}/stop", new { });
        Assert.Equal(HttpStatusCode.Conflict, illegal.Status);
        Assert.Contains($"VM {created.VmId}: Stop is not allowed while the VM is Created", illegal.Body);

        var noSuchHost = await SendAsync(HttpMethod.Post, $"vms/{created.VmId}/start", new { hostId = "host-99" });
        Assert.Equal(HttpStatusCode.Conflict, noSuchHost.Status);
        Assert.Contains("host-99: unknown host", noSuchHost.Body);

        var badHa = await SendAsync(HttpMethod.Put, $"vms/{created.VmId}/ha", new { haLevel = "Always", restartPriority = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, badHa.Status);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Reboot_keeps_the_run_on_its_host_destroy_ends_it_and_frees_the_capacity()
    {
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "cycled", cpuCores = 2, memoryMib = 1024, haLevel = "OnHostFailure" });
        var running = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-1" });

        var rebooted = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/reboot", new { });
        Assert.Equal(("Running", "host-1", running.Incarnation), (rebooted.State, rebooted.HostId, rebooted.Incarnation));

        var ha = await stack.Http.PutAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"vms/{vm.VmId}/ha"), new { haLevel = "NeverStop", restartPriority = 900 });
        await ApiAssert.SucceededAsync(ha);
        var withHa = await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}");
        Assert.Equal(("NeverStop", 900), (withHa.HaLevel, withHa.RestartPriority));

        var usedBefore = (await stack.GetAsync<HostView>(stack.VmLifecycle, "hosts/host-1")).CpuUsed;
        var destroyed = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/destroy", new { });
        Assert.Equal(("Destroyed", (string?)null), (destroyed.State, destroyed.HostId));
        Assert.Equal(usedBefore - 2, (await stack.GetAsync<HostView>(stack.VmLifecycle, "hosts/host-1")).CpuUsed);

        var intervals = await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}");
        Assert.Equal(2, intervals.Count); // before and after the reboot, never at once
        Assert.All(intervals, i => Assert.Equal("host-1", i.HostId));
        Assert.Equal(VmRunEndReason.Destroyed, intervals[^1].EndReason);
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));

        var again = await SendAsync(HttpMethod.Post, $"vms/{vm.VmId}/destroy", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
    }

    [Fact]
    public async Task A_vms_disks_and_nics_go_to_its_host_and_the_devices_the_host_reports_after_a_start_and_a_reboot_are_shown()
    {
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new
        {
            name = "with-devices", cpuCores = 1, memoryMib = 512,
            disks = new[] { new { source = "/mnt/cluster-a/with-devices.qcow2" } }, nics = new[] { new { network = "default" } },
        });
        var created = await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}");
        var mac = Assert.Single(created.Hardware!.Nics).Mac;
        Assert.Null(created.Devices);

        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-2" });
        var started = (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}")).Devices!;
        Assert.Equal(("Start", "host-2"), (started.ReportedBy, started.HostId));
        Assert.Equal([new VmDisk("vda", "/mnt/cluster-a/with-devices.qcow2", "virtio")], started.Disks);
        Assert.Equal([new VmNic(mac, "default", "virtio")], started.Nics);

        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/reboot", new { });
        var rebooted = (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}")).Devices!;
        Assert.Equal("Reboot", rebooted.ReportedBy);
        Assert.True(rebooted.ReportedAt > started.ReportedAt);
        Assert.Equal(started.Nics, rebooted.Nics);
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/destroy", new { });
    }

    [Fact]
    public async Task Starts_racing_for_a_host_that_fits_only_some_of_them_never_overcommit_it()
    {
        await stack.RegisterFleetAsync();
        const string hostId = "race-host"; // 16 CPUs: room for four VMs of 4 CPUs
        await stack.PostAsync<object>(stack.BackDoor, "fleet/hosts", new { hostId, cluster = "cluster-a", cpuCores = 16, memoryMib = 32768 });
        await stack.EnsureHostRegisteredAsync(hostId);
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{hostId}"), h => h.Status == "Connected", Timeout, "race-host Connected");
        var vms = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = $"racer-{i}", cpuCores = 4, memoryMib = 1024 })));

        var answers = await Task.WhenAll(vms.Select(vm => SendAsync(HttpMethod.Post, $"vms/{vm.VmId}/start", new { hostId })));

        Assert.Equal(4, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            Assert.Contains($"{hostId}: needs 4 CPU, 0 free", a.Body);
        });
        Assert.Equal(16, (await stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{hostId}")).CpuUsed);
        var onHost = await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, "audit/intervals");
        Assert.Equal(4, onHost.Count(i => i.HostId == hostId && i.EndedAt is null));
    }

    [Fact]
    public async Task A_repeated_start_with_the_same_operation_id_does_nothing_twice_over_http_and_over_the_bus()
    {
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "once", cpuCores = 1, memoryMib = 512 });
        var operationId = Guid.NewGuid();

        var first = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { operationId });
        var repeat = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { operationId });
        Assert.Equal(("Running", 1L), (first.State, first.Incarnation));
        Assert.Equal((first.HostId, 1L), (repeat.HostId, repeat.Incarnation));

        await using var bus = await TestBus.StartAsync(stack.Environment);
        var overBus = await CommandAsync(bus, new StartVm { VmId = vm.VmId, OperationId = operationId }, vm.VmId, operationId);
        Assert.Equal((VmCommandOutcome.Done, VmState.Running), (overBus.Outcome, overBus.State));
        Assert.Single(await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}"));

        // The same id for another operation is refused, saying why.
        var misuse = await SendAsync(HttpMethod.Post, $"vms/{vm.VmId}/stop", new { operationId });
        Assert.Equal(HttpStatusCode.Conflict, misuse.Status);
        Assert.Contains($"operation id {operationId} was already used for start", misuse.Body);
    }

    [Fact]
    public async Task Vm_commands_over_the_bus_answer_with_the_outcome_and_prefer_tagged_hosts()
    {
        await stack.RegisterFleetAsync();
        await stack.PostAsync<object>(stack.BackDoor, "fleet/hosts", new { hostId = "ha-host", cluster = "cluster-a", cpuCores = 16, memoryMib = 32768 });
        await stack.EnsureHostRegisteredAsync("ha-host", "ha");
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(stack.VmLifecycle, "hosts/ha-host"), h => h.Status == "Connected", Timeout, "ha-host Connected");
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "tagged", cpuCores = 1, memoryMib = 512 });
        await using var bus = await TestBus.StartAsync(stack.Environment);

        var startId = Guid.NewGuid();
        var started = await CommandAsync(bus, new StartVm { VmId = vm.VmId, OperationId = startId, PreferredTags = ["ha"], ExcludedHostIds = ["host-1"] }, vm.VmId, startId);
        Assert.Equal((VmCommandOutcome.Done, "ha-host"), (started.Outcome, started.HostId));

        var (unknown, stopId) = (Guid.NewGuid(), Guid.NewGuid());
        var missing = await CommandAsync(bus, new StopVm { VmId = unknown, OperationId = stopId }, unknown, stopId);
        Assert.Equal((VmCommandOutcome.NotFound, unknown), (missing.Outcome, missing.VmId));

        var destroyId = Guid.NewGuid();
        var destroyed = await CommandAsync(bus, new DestroyVm { VmId = vm.VmId, OperationId = destroyId }, vm.VmId, destroyId);
        Assert.Equal((VmCommandOutcome.Done, VmState.Destroyed), (destroyed.Outcome, destroyed.State));

        // Create and HA settings as commands too: a repeated create makes one VM, bad input is an answer.
        var newId = Guid.NewGuid();
        var create = new CreateVm { VmId = newId, Name = "from-bus", CpuCores = 1, MemoryMib = 512, HaLevel = VmHaLevel.OnHostFailure };
        var created = await CommandAsync(bus, create, newId, Guid.Empty);
        Assert.Equal((VmCommandOutcome.Done, VmState.Created), (created.Outcome, created.State));
        await CommandAsync(bus, create, newId, Guid.Empty);
        Assert.Single(await stack.GetAsync<IReadOnlyList<VmView>>(stack.VmLifecycle, "vms"), v => v.VmId == newId);
        var ha = await CommandAsync(bus, new SetVmHa { VmId = newId, HaLevel = VmHaLevel.NeverStop, RestartPriority = 7 }, newId, Guid.Empty);
        Assert.Equal(VmCommandOutcome.Done, ha.Outcome);
        Assert.Equal("NeverStop", (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{newId}")).HaLevel);
        var invalidId = Guid.NewGuid();
        var invalid = await CommandAsync(bus, create with { VmId = invalidId, CpuCores = 0 }, invalidId, Guid.Empty);
        Assert.Equal(VmCommandOutcome.Invalid, invalid.Outcome);
        Assert.Contains("cpuCores must be between 1 and 256", invalid.Message);
    }

    /// <summary>Sends a VM command and waits for the announcement of its end.</summary>
    private static Task<VmCommandCompleted> CommandAsync<T>(TestBus bus, T command, Guid vmId, Guid operationId) where T : class =>
        bus.SendAndAwaitAsync<T, VmCommandCompleted>(VmCommands.Address, command, done => done.VmId == vmId && done.OperationId == operationId);

    [Fact]
    public async Task A_root_disk_whose_image_is_larger_than_its_virtual_size_is_placed_by_its_actual_size()
    {
        await stack.RegisterFleetAsync();
        await stack.PostAsync<object>(stack.BackDoor, "fleet/hosts", new { hostId = "disk-host", cluster = "cluster-a", cpuCores = 16, memoryMib = 32768 });
        using (var registered = await stack.Http.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, "hosts"), new
               {
                   hostId = "disk-host", agentAddress = stack.Agent.BaseAddress.ToString(), cluster = "cluster-a", cpuCores = 16, memoryMib = 32768,
                   storageGib = 25, tags = Array.Empty<string>(),
               }))
            await ApiAssert.SucceededAsync(registered);
        await Eventually.ReturnsAsync(() => stack.GetAsync<HostView>(stack.VmLifecycle, "hosts/disk-host"), h => h.Status == "Connected", Timeout, "disk-host Connected");

        var big = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "big-image", cpuCores = 1, memoryMib = 512, rootDisk = new { imageVirtualGib = 20, imageActualGib = 30 } });
        Assert.Equal(30, big.RootDiskGib);
        var refused = await SendAsync(HttpMethod.Post, $"vms/{big.VmId}/start", new { hostId = "disk-host" });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("disk-host: needs 30 GiB of disk, 25 GiB free", refused.Body);

        var fits = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "offered", cpuCores = 1, memoryMib = 512, rootDisk = new { imageVirtualGib = 20, imageActualGib = 30, offeringGib = 24 } });
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{fits.VmId}/start", new { hostId = "disk-host" });
        Assert.Equal(24, (await stack.GetAsync<HostView>(stack.VmLifecycle, "hosts/disk-host")).StorageUsed);
    }

    [Fact]
    public async Task A_migrated_vm_stops_on_its_source_before_it_starts_on_the_target_and_its_capacity_moves()
    {
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "mover", cpuCores = 3, memoryMib = 1024 });
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-2" });
        var (sourceBefore, targetBefore) = (await CpuUsedAsync("host-2"), await CpuUsedAsync("host-3"));

        var migrated = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/migrate", new { targetHostId = "host-3" });

        Assert.Equal(("Running", "host-3", 2L), (migrated.State, migrated.HostId, migrated.Incarnation));
        Assert.Equal((sourceBefore - 3, targetBefore + 3), (await CpuUsedAsync("host-2"), await CpuUsedAsync("host-3")));
        var intervals = await stack.GetAsync<IReadOnlyList<VmRunInterval>>(stack.BackDoor, $"audit/intervals?vmId={vm.VmId}");
        Assert.Equal(["host-2", "host-3"], intervals.Select(i => i.HostId));
        Assert.True(intervals[0].EndedAt <= intervals[1].StartedAt, "the source must stop it before the target starts it");
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));

        var toItself = await SendAsync(HttpMethod.Post, $"vms/{vm.VmId}/migrate", new { targetHostId = "host-3" });
        Assert.Equal(HttpStatusCode.Conflict, toItself.Status);
        Assert.Contains("host-3: excluded", toItself.Body);
        Assert.Equal("Running", (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}")).State);
    }

    [Fact]
    public async Task Reports_about_an_older_run_or_another_host_are_ignored()
    {
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "reported", cpuCores = 1, memoryMib = 512 });
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-1" });
        await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/stop", new { });
        var current = await stack.PostAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}/start", new { hostId = "host-1" });
        Assert.Equal(2, current.Incarnation);

        await using var bus = await TestBus.StartAsync(stack.Environment);
        var changes = await bus.CaptureAsync<VmStateChanged>();
        var now = DateTimeOffset.UtcNow;
        await bus.PublishAsync(new VmPowerStateReported { VmId = vm.VmId, HostId = "host-1", PowerState = VmPowerState.Stopped, Incarnation = 1, ReportedAt = now });
        await bus.PublishAsync(new VmPowerStateReported { VmId = vm.VmId, HostId = "host-2", PowerState = VmPowerState.Stopped, Incarnation = 2, ReportedAt = now });
        await bus.PublishAsync(new VmPowerStateReported { VmId = vm.VmId, HostId = "host-1", PowerState = VmPowerState.Paused, Incarnation = 2, ReportedAt = now });

        // Paused lasts only until the next sync (the simulated host still runs the VM), so the
        // change is caught as an event rather than polled. Had a stale report stopped the VM
        // first, the current one could not have paused it (Stopped + paused is refused).
        var upToPaused = await changes.WaitForAsync(c => c.VmId == vm.VmId && c.To == VmState.Paused, Timeout, "the current report to pause the VM");
        var pausedChange = upToPaused[^1];
        Assert.Equal(("host-1", 2L), (pausedChange.HostId, pausedChange.Incarnation));
        Assert.DoesNotContain(upToPaused, c => c.VmId == vm.VmId && c.To == VmState.Stopped);
    }

    private async Task<int> CpuUsedAsync(string hostId) => (await stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{hostId}")).CpuUsed;


    private async Task<string> SnapshotAsync() =>
        await stack.Http.GetStringAsync(new Uri(stack.VmLifecycle.BaseAddress, "vms")) + await stack.Http.GetStringAsync(new Uri(stack.VmLifecycle.BaseAddress, "hosts"));

    [Fact]
    public async Task A_create_retried_with_the_same_idempotency_key_makes_one_vm_and_other_settings_under_it_are_refused()
    {
        var key = $"create-{Guid.NewGuid():N}";
        var spec = new { name = "retried", cpuCores = 1, memoryMib = 512, haLevel = "NeverStop", restartPriority = 3 };

        var first = await SendAsync(HttpMethod.Post, "vms", spec, key);
        var repeat = await SendAsync(HttpMethod.Post, "vms", spec, key);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.Status, repeat.Status));
        var made = System.Text.Json.JsonSerializer.Deserialize<VmView>(first.Body, Json.Options)!;
        Assert.Equal(made.VmId, System.Text.Json.JsonSerializer.Deserialize<VmView>(repeat.Body, Json.Options)!.VmId);
        Assert.Single(await stack.GetAsync<IReadOnlyList<VmView>>(stack.VmLifecycle, "vms"), v => v.VmId == made.VmId);

        var other = await SendAsync(HttpMethod.Post, "vms", spec with { cpuCores = 2 }, key);
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Contains("used to create a VM with other settings", other.Body);
        Assert.Equal(1, (await stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{made.VmId}")).CpuCores);

        var badKey = await SendAsync(HttpMethod.Post, "vms", spec, new string('k', 201));
        Assert.Equal(HttpStatusCode.BadRequest, badKey.Status);
        Assert.Contains("Idempotency-Key", badKey.Body);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(stack.VmLifecycle.BaseAddress, path)) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using var response = await stack.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
