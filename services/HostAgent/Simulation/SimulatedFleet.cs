using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// Many simulated hypervisor hosts in one process. One lock guards every host and the audit:
/// the simulation is small, and a single lock makes every fault, VM change and audit entry
/// happen in one order that tests can reason about.
/// </summary>
public sealed class SimulatedFleet(TimeProvider time, Random random, ILogger<SimulatedFleet> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SimulatedHost> _hosts = new(StringComparer.Ordinal);
    private readonly VmRunAudit _audit = new();

    public AddHostOutcome AddHost(HostShape shape)
    {
        if (!HostIdRules.IsValid(shape.HostId))
        {
            throw new ArgumentException(HostIdRules.Describe(shape.HostId), nameof(shape));
        }

        lock (_lock)
        {
            if (_hosts.TryGetValue(shape.HostId, out var existing))
            {
                return existing.Shape == shape ? AddHostOutcome.AlreadyExists : AddHostOutcome.Conflict;
            }

            _hosts[shape.HostId] = new SimulatedHost(shape, _audit, time.GetUtcNow());
        }

        logger.HostAdded(shape.HostId, shape.Cluster, shape.CpuCores, shape.MemoryMib);
        return AddHostOutcome.Created;
    }

    public IReadOnlyList<FleetHostView> ListHosts()
    {
        lock (_lock)
        {
            return [.. _hosts.Values.OrderBy(h => h.HostId, StringComparer.Ordinal).Select(h => h.View())];
        }
    }

    public FleetHostView? FindHost(string hostId) => WithHost<FleetHostView?>(hostId, (host, _) => host.View(), ifUnknown: null);

    /// <summary>Every interval any VM ran on any host, optionally for one VM.</summary>
    public IReadOnlyList<VmRunInterval> Intervals(string? vmId = null)
    {
        lock (_lock)
        {
            return _audit.Intervals(vmId);
        }
    }

    /// <summary>Every time one VM ran on two hosts at once; empty is the only good answer.</summary>
    public IReadOnlyList<DoubleRun> DoubleRuns()
    {
        lock (_lock)
        {
            return _audit.DoubleRuns();
        }
    }

    /// <summary>Runs a back-door action on a host under the fleet lock, regardless of its faults.</summary>
    internal T WithHost<T>(string hostId, Func<SimulatedHost, DateTimeOffset, T> action, T ifUnknown)
    {
        lock (_lock)
        {
            return _hosts.TryGetValue(hostId, out var host) ? action(host, time.GetUtcNow()) : ifUnknown;
        }
    }

    /// <summary>
    /// Runs a control-plane request on a host. The reachability check and the action happen under
    /// the same lock, so a request to a host that is unreachable at that instant does nothing.
    /// </summary>
    internal HostCall<T> ControlPlaneCall<T>(string hostId, Func<SimulatedHost, DateTimeOffset, T> action)
    {
        lock (_lock)
        {
            if (!_hosts.TryGetValue(hostId, out var host))
            {
                return new HostCall<T>(HostCallStatus.UnknownHost, default, TimeSpan.Zero);
            }

            var delay = TimeSpan.FromMilliseconds(host.Faults.DelayMs);
            if (!host.ReachableFromControlPlane || IsLostToFlakiness(host))
            {
                logger.ControlPlaneRequestDropped(hostId);
                return new HostCall<T>(HostCallStatus.Unreachable, default, delay);
            }

            return new HostCall<T>(HostCallStatus.Answered, action(host, time.GetUtcNow()), delay);
        }
    }

    /// <summary>Whether neighbours can reach a host; false for a host this process does not serve. Caller holds the lock.</summary>
    internal bool IsReachableByNeighboursLocked(string hostId) =>
        _hosts.TryGetValue(hostId, out var host) && host.ReachableByNeighbours;

    internal void ForEachHost(Action<SimulatedHost, DateTimeOffset> action)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            foreach (var host in _hosts.Values)
            {
                action(host, now);
            }
        }
    }

    // NextDouble is in [0, 1): a rate of 0.0 never fails, a rate of 1.0 always does.
    // Random is not thread-safe; it is only used under the fleet lock.
    private bool IsLostToFlakiness(SimulatedHost host) =>
        host.Faults.FailureRate > 0.0 && random.NextDouble() < host.Faults.FailureRate;
}
