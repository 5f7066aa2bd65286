namespace CloudBus.VmLifecycle.Placement;

/// <summary>
/// The hosts that can take a VM, best first, and why every other host cannot. An empty
/// <see cref="Candidates"/> is a normal answer ("no host can take this VM"), not an error.
/// </summary>
public sealed record PlacementPlan(IReadOnlyList<string> Candidates, IReadOnlyDictionary<string, string> Rejections)
{
    public string Explain() => Candidates.Count > 0
        ? $"candidates: {string.Join(", ", Candidates)}"
        : Rejections.Count == 0
            ? "no hosts are registered"
            : "no host can take this VM: " + string.Join("; ", Rejections.OrderBy(r => r.Key).Select(r => $"{r.Key}: {r.Value}"));
}
