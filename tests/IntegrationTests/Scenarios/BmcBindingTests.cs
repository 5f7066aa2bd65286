using System.Net;
using System.Net.Http.Json;
using CloudBus.HaOrchestrator.Api;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.IntegrationTests.Fencing;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.VmLifecycle.Api;
using static CloudBus.IntegrationTests.Infrastructure.ForeignBmcHaStack;

namespace CloudBus.IntegrationTests.Scenarios;

/// <summary>
/// A BMC fences only the host it is bound to (by its system GUID, on the real ipmitool and
/// ipmi_sim): a fake host naming another host's BMC cannot get it powered off, and a BMC an admin
/// just changed fences its host only once an operator approves.
/// </summary>
public sealed class BmcBindingTests(ForeignBmcHaStack stack) : IClassFixture<ForeignBmcHaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_fake_host_naming_a_real_hosts_bmc_cannot_get_the_real_host_powered_off_and_says_why()
    {
        await RegisterVictimFirstAsync();
        Assert.Null((await BindingAsync(Attacker)).SystemGuid);
        await Eventually.HoldsAsync(() => Task.FromResult(stack.HaOrchestrator.RecentOutput.Contains($"host {Attacker}: the BMC at", StringComparison.Ordinal)),
            Timeout, "an alert at registration that the attacker's BMC is another host's");

        // The attacker's host "fails"; its neighbour vouches that its heartbeat stopped.
        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{Attacker}/faults/power-off", new { });

        var incident = await Eventually.ReturnsAsync(() => IncidentAsync(Attacker),
            i => i?.Timeline.Any(s => s.Evidence.Any(e => e.Contains($"the BMC of host {Victim}", StringComparison.Ordinal))) == true,
            Timeout, $"fencing {Attacker} to refuse {Victim}'s BMC and say why");
        Assert.DoesNotContain(incident!.Timeline, s => s.Evidence.Any(e => e.Contains("power off accepted", StringComparison.Ordinal)));
        Assert.True((await stack.GetAsync<FleetWithBmcs.PowerReply>(stack.BackDoor, $"hosts/{Victim}/power")).On, $"{Victim} must stay powered on");
        Assert.Equal("Connected", (await stack.GetAsync<HostView>(stack.VmLifecycle, $"hosts/{Victim}")).Status);
    }

    [Fact]
    public async Task A_host_whose_bmc_was_just_changed_is_fenced_through_it_only_after_an_operator_approves()
    {
        const string host = "host-4";
        await RegisterVictimFirstAsync();
        var bmc = (await BindingAsync(host)).BmcAddresses[0];
        // The same address again: what an admin does after the host's BMC board was replaced.
        using (var change = await stack.Http.PutAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"hosts/{host}/bmc"), new { bmcAddress = bmc }))
            await ApiAssert.SucceededAsync(change);
        var rebound = await Eventually.ReturnsAsync(() => BindingAsync(host), b => b.ChangedAt is not null && b.SystemGuid is not null, Timeout, $"{host}'s new BMC bound");
        Assert.NotNull(rebound.FencingNeedsApprovalUntil);
        Assert.Equal("test-suite", rebound.ChangedBy); // the admin token's subject
        var vm = await HaVms.StartAsync(stack, "changed-bmc", host, "OnHostFailure");

        await stack.PostAsync<object>(stack.BackDoor, $"hosts/{host}/faults/power-off", new { });

        var held = await Eventually.ReturnsAsync(() => IncidentAsync(host), i => i?.Status == IncidentStatus.AwaitingOperator, Timeout, "the fence held for an operator");
        Assert.Contains(held!.Timeline, s => s.Step == "Held: BMC changed"
            && s.Detail.Contains("changed by test-suite", StringComparison.Ordinal) && s.Detail.Contains("Ha:BmcChangeNeedsApprovalFor", StringComparison.Ordinal));
        Assert.DoesNotContain(held.Timeline, s => s.Step == "Fencing");

        using (var approve = await stack.Http.PostAsync(new Uri(stack.HaOrchestrator.BaseAddress, $"incidents/{held.IncidentId}/approve-fencing"), null))
            Assert.Equal(HttpStatusCode.Accepted, approve.StatusCode);
        var restarted = await Eventually.ReturnsAsync(() => stack.GetAsync<VmView>(stack.VmLifecycle, $"vms/{vm.VmId}"),
            v => v.State == "Running" && v.HostId != host, Timeout, "the VM restarted elsewhere after the approval");
        var fenced = await IncidentAsync(host);
        Assert.Contains(fenced!.Timeline, s => s.Step == "Fenced" && s.Detail.Contains("BMC power off", StringComparison.Ordinal)
            && s.Evidence.Any(e => e.Contains($"identity {rebound.SystemGuid}, as bound to host {host}", StringComparison.Ordinal)));
        Assert.Equal(2L, restarted.Incarnation);
        Assert.Empty(await stack.GetAsync<IReadOnlyList<DoubleRun>>(stack.BackDoor, "audit/double-runs"));
    }

    /// <summary>The real server is registered, and its BMC bound to it, before anyone else names that BMC.</summary>
    private async Task RegisterVictimFirstAsync()
    {
        await stack.EnsureHostRegisteredAsync(Victim);
        await Eventually.ReturnsAsync(() => BindingAsync(Victim), b => b.SystemGuid is not null, Timeout, $"{Victim}'s BMC bound to it");
        await stack.RegisterFleetAsync();
    }

    private async Task<BmcBindingView> BindingAsync(string hostId) =>
        (await Eventually.ReturnsAsync(async () =>
        {
            using var response = await stack.Http.GetAsync(new Uri(stack.HaOrchestrator.BaseAddress, $"hosts/{hostId}/bmc"));
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<BmcBindingView>(Json.Options) : null;
        }, view => view is not null, Timeout, $"HA to know {hostId}"))!;

    private async Task<Incident?> IncidentAsync(string hostId) =>
        (await stack.GetAsync<IReadOnlyList<Incident>>(stack.HaOrchestrator, $"incidents?hostId={hostId}")) is [var latest, ..]
            ? await stack.GetAsync<Incident>(stack.HaOrchestrator, $"incidents/{latest.IncidentId}")
            : null;
}
