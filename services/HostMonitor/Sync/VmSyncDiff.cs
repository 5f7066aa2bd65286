using CloudBus.Messages.Vms;

namespace CloudBus.HostMonitor.Sync;

/// <summary>
/// Compares one host's VM report with what the control plane expects there. A VM that should be
/// on the host but is missing is reported stopped only once the grace period has passed since it
/// was last seen there (a start or a migration may race the report); CloudStack 4.20 logged such
/// VMs and never stopped them, so here the report is always sent once the grace period is over.
/// Counting from the last sighting, not from the first sync that notices, keeps the promise of
/// the grace period: a VM that dies is reported within one sync interval after it. Keeps the last
/// sightings between syncs; one instance per host, not thread-safe.
/// </summary>
public sealed class VmSyncDiff(string hostId, TimeSpan gracePeriod)
{
    /// <summary>States in which a VM should be present on its host. Starting and Migrating are in
    /// flight: their operation settles the state, so absence proves nothing yet.</summary>
    private static readonly HashSet<VmState> ShouldBePresent =
        [VmState.Running, VmState.Paused, VmState.Stopping, VmState.Rebooting, VmState.Destroying, VmState.Unknown];

    /// <summary>When each expected VM was last in the host's report.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> _lastSeen = new();
    /// <summary>Where the grace period of each missing VM counts from: its last sighting, or when it was first found missing if never seen.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> _missingSince = new();
    /// <summary>VMs the host itself said stopped: reported as soon as they are missing and judged (not under skip-trace).</summary>
    private readonly HashSet<Guid> _stoppedByHost = [];

    /// <param name="skipped">VMs under skip-trace (an operation in flight, or orphaned by a departed
    /// operator): neither judged nor called strangers, and their grace periods start afresh later.</param>
    public VmSyncResult Compare(
        IReadOnlyCollection<ReportedVm> reported, IReadOnlyCollection<ExpectedVm> expected, IReadOnlySet<Guid> skipped, DateTimeOffset now)
    {
        var reports = new List<VmPowerStateReported>();
        var strangers = new List<string>();
        var expectedById = expected.Where(e => !skipped.Contains(e.VmId)).ToDictionary(e => e.VmId);
        var presentIds = new HashSet<Guid>();
        foreach (var vmId in skipped) Forget(vmId);

        foreach (var vm in reported)
        {
            var parsed = Guid.TryParse(vm.VmId, out var vmId);
            if (parsed && skipped.Contains(vmId)) continue;
            if (!parsed || !expectedById.TryGetValue(vmId, out var expectation))
            {
                strangers.Add(vm.VmId);
                continue;
            }
            presentIds.Add(vmId);
            _missingSince.Remove(vmId);
            _stoppedByHost.Remove(vmId);
            _lastSeen[vmId] = now;
            // A state the host names but this version does not know says the VM is there, nothing
            // more: it is never taken for Stopped (that would let HA start it elsewhere).
            if (vm.PowerState is { } state && !Agrees(expectation.State, state))
                reports.Add(Report(vmId, state, vm.Incarnation, now));
        }

        foreach (var expectation in expectedById.Values.Where(e => ShouldBePresent.Contains(e.State) && !presentIds.Contains(e.VmId)))
        {
            if (!_missingSince.TryGetValue(expectation.VmId, out var since))
                _missingSince[expectation.VmId] = since = _lastSeen.GetValueOrDefault(expectation.VmId, now);
            if (now - since < gracePeriod && !_stoppedByHost.Remove(expectation.VmId)) continue;
            reports.Add(Report(expectation.VmId, VmPowerState.Stopped, 0, now));
            // Restart the clock: if the report is lost or refused, it is sent again one grace period later.
            _missingSince[expectation.VmId] = now;
        }

        // Forget VMs no longer expected here (stopped, moved away) so a later return starts afresh.
        foreach (var vmId in _lastSeen.Keys.Union(_missingSince.Keys).Union(_stoppedByHost).Where(id => !expectedById.ContainsKey(id) && !skipped.Contains(id)).ToList())
            ForgetEntirely(vmId);

        return new VmSyncResult(reports, strangers);
    }

    /// <summary>
    /// The host itself said the VM stopped (an event, not an absence that may be a race): the next
    /// comparison that does not find it reports it stopped without waiting out the grace period.
    /// </summary>
    /// <remarks>The mark outlives a skip-trace: a start's skip may still be on when its VM dies.</remarks>
    public void StoppedByHost(Guid vmId) => _stoppedByHost.Add(vmId);

    private void Forget(Guid vmId)
    {
        _missingSince.Remove(vmId);
        _lastSeen.Remove(vmId);
    }

    /// <summary>Forgets a VM no longer expected on this host, its host's word included.</summary>
    private void ForgetEntirely(Guid vmId)
    {
        Forget(vmId);
        _stoppedByHost.Remove(vmId);
    }

    private static bool Agrees(VmState expected, VmPowerState reported) => (expected, reported) switch
    {
        (VmState.Running, VmPowerState.Running) => true,
        (VmState.Paused, VmPowerState.Paused) => true,
        // Operations in flight settle these themselves.
        (VmState.Stopping or VmState.Rebooting or VmState.Migrating or VmState.Destroying, _) => true,
        _ => false,
    };

    private VmPowerStateReported Report(Guid vmId, VmPowerState state, long incarnation, DateTimeOffset now) => new()
    {
        VmId = vmId, HostId = hostId, PowerState = state, Incarnation = incarnation, ReportedAt = now,
    };
}
