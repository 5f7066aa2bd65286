namespace CloudBus.Bench.BadInput;

/// <summary>
/// What bad input must never change, read through the APIs: VmLifecycle's VMs and hosts and
/// HaOrchestrator's incidents and restarts. (HostMonitor's views carry ping times, which change by
/// themselves; the audit log changes by design.)
/// </summary>
public static class ControlPlaneState
{
    public static async Task<string> ReadAsync(HttpClient admin, Uri vmLifecycle, Uri haOrchestrator) =>
        string.Join('\n',
            await admin.GetStringAsync(new Uri(vmLifecycle, "vms")),
            await admin.GetStringAsync(new Uri(vmLifecycle, "hosts")),
            await admin.GetStringAsync(new Uri(haOrchestrator, "incidents")),
            await admin.GetStringAsync(new Uri(haOrchestrator, "restarts")));

    /// <summary>Null when equal; otherwise where the two first differ, with a little context.</summary>
    public static string? Difference(string before, string after)
    {
        if (before == after) return null;
        var at = 0;
        while (at < before.Length && at < after.Length && before[at] == after[at]) at++;
        var from = Math.Max(0, at - 80);
        return $"before: ...{Slice(before, from)}...\n  after:  ...{Slice(after, from)}...";
    }

    private static string Slice(string text, int from) => from >= text.Length ? "" : text.Substring(from, Math.Min(240, text.Length - from));
}
