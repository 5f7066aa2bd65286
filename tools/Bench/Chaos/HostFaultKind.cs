namespace CloudBus.Bench.Chaos;

/// <summary>How the chaos fails a host, each through the agent's fault back door (<c>POST /hosts/{id}/faults/...</c>).</summary>
public enum HostFaultKind
{
    /// <summary>Power cut: its VMs die at once; HA must fence it and restart them elsewhere.</summary>
    PowerOff,
    /// <summary>Cut off from everything, storage included: it self-fences (its VMs die) and HA must fence it and restart them.</summary>
    Isolate,
    /// <summary>Only the control plane cannot reach it: it lives on, its VMs keep running, and HA must restart nothing.</summary>
    CutControlPlane,
}

public static class HostFaultKinds
{
    public static string Endpoint(this HostFaultKind kind) => kind switch
    {
        HostFaultKind.PowerOff => "power-off",
        HostFaultKind.Isolate => "isolate",
        _ => "cut-control-plane",
    };

    /// <summary>Whether the host's VMs stop: then HA fences it and restarts them elsewhere.</summary>
    public static bool StopsVms(this HostFaultKind kind) => kind != HostFaultKind.CutControlPlane;
}
