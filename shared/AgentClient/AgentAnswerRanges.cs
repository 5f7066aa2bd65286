using System.Diagnostics;
using static System.FormattableString;

namespace CloudBus.AgentClient;

/// <summary>
/// The range every number in an agent's answer must lie in. A number outside comes from a broken
/// or hostile agent, so its answer is no answer: the call fails as if the agent had not answered,
/// and the reading is evidence of nothing (neither that a host lives nor that it is dead). Checked
/// once, where answers are read, so that no service does arithmetic with such a number.
/// </summary>
internal static class AgentAnswerRanges
{
    /// <summary>
    /// The largest counter (heartbeat sequence, event sequence, incarnation): 2^53, the largest
    /// integer every JSON reader (scripts, jq) keeps exact. A heartbeat written ten times a second
    /// reaches it in 28 million years, so a larger one was never counted; and a counter this far
    /// below <see cref="long.MaxValue"/> cannot overflow when anyone adds one to it.
    /// </summary>
    public const long MaxCounter = 1L << 53;

    /// <summary>
    /// How far below zero a heartbeat's age may be. An age is the reading agent's clock minus the
    /// writer's, so a writer whose clock runs a little ahead gives slightly negative ones; no
    /// NTP-run clock is five minutes off, and an age more negative than that measures nothing.
    /// </summary>
    public const double MaxClockAheadSeconds = 5 * 60;

    /// <summary>
    /// The oldest heartbeat age: ten years. HA compares ages with thresholds of seconds to minutes;
    /// a record older than ten years is a zeroed or corrupt one (year 0001), not a host that died
    /// then, and would read as "stale". Also keeps the age far inside <see cref="TimeSpan"/>.
    /// </summary>
    public const double MaxAgeSeconds = 10 * 365.25 * 24 * 60 * 60;

    /// <summary>
    /// The longest self-fence time a host may state: one hour. Agents accept at most ten minutes
    /// (HostAgent:SelfFenceAfter); HA adds a margin to the stated time and waits that long for
    /// the proof, which a time near <see cref="TimeSpan.MaxValue"/> overflows. Zero or less is
    /// no self-fence time at all.
    /// </summary>
    public const double MaxSelfFenceSeconds = 60 * 60;

    /// <summary>The most vCPUs a VM can have: KVM's limit per VM (KVM_MAX_VCPUS, 4096 on x86).</summary>
    public const int MaxCpuCores = 4096;

    /// <summary>
    /// The earliest time an agent may state: the Unix epoch. No clock reads earlier, and year 0001
    /// is what a missing or zeroed time reads as. A clock merely wrong (reset to the epoch, years
    /// ahead) passes: the control plane does no arithmetic with agents' clocks (ages are measured
    /// by the agents), and a host with a wrong clock must not look dead for it.
    /// </summary>
    public static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch;

    /// <summary>The latest: the year 3000. Later is no clock but a value near <see cref="DateTimeOffset.MaxValue"/>, where adding any time overflows.</summary>
    public static readonly DateTimeOffset LatestTime = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What is out of range in <paramref name="answer"/>, naming the field and its value; null when all is in range.</summary>
    public static string? Violation(object answer) => answer switch
    {
        AgentPing ping => Time("at", ping.At),
        AgentVmReport report => Time("at", report.At) ?? Vms(report.Vms),
        AgentHeartbeat heartbeat => Heartbeat(heartbeat),
        AgentEvents events => Events(events),
        // No numbers in these.
        AgentVmResult or AgentNeighbourPing => null,
        // A new answer type gets its ranges here, or every call of it fails in its first test.
        _ => throw new UnreachableException($"No ranges known for the agent answer {answer.GetType().Name}."),
    };

    private static string? Heartbeat(AgentHeartbeat heartbeat) =>
        Between("sequence", heartbeat.Sequence, 1, MaxCounter)
        ?? Time("writtenAt", heartbeat.WrittenAt)
        ?? Between("ageSeconds", heartbeat.AgeSeconds, -MaxClockAheadSeconds, MaxAgeSeconds)
        ?? (heartbeat.SelfFenceAfterSeconds is not { } stated || stated is > 0 and <= MaxSelfFenceSeconds
            ? null
            : Invariant($"selfFenceAfterSeconds {stated} is not above 0 and at most {MaxSelfFenceSeconds}"));

    /// <remarks>
    /// VmLifecycle numbers a VM's runs from 1, and incarnation 0 on the bus means "none" (a VM
    /// found absent), which ties a report to whatever run is current: a listed VM must not have it.
    /// </remarks>
    private static string? Vms(IReadOnlyList<AgentVm>? vms)
    {
        if (vms is null) return "vms missing";
        foreach (var vm in vms)
        {
            if (vm is null) return "vms missing an entry";
            var violation = Between("incarnation", vm.Incarnation, 1, MaxCounter)
                            ?? Between("cpuCores", vm.CpuCores, 1, MaxCpuCores)
                            ?? Between("memoryMib", vm.MemoryMib, 1, int.MaxValue);
            if (violation is not null) return $"VM {AgentErrorText.Clean(vm.VmId)}: {violation}";
        }
        return null;
    }

    /// <remarks>An agent numbers its events from 1 and answers the last number it gave, so each event's lies between.</remarks>
    private static string? Events(AgentEvents events)
    {
        if (events.Events is null) return "events missing";
        if (Between("last", events.Last, 0, MaxCounter) is { } last) return last;
        for (var i = 0; i < events.Events.Count; i++)
        {
            var violation = events.Events[i] is not { } item
                ? "missing"
                : Between("sequence", item.Sequence, 1, events.Last) ?? Time("at", item.At);
            if (violation is not null) return Invariant($"events[{i}]: {violation}");
        }
        return null;
    }

    private static string? Between(string field, long value, long min, long max) =>
        value >= min && value <= max ? null : Invariant($"{field} {value} is not between {min} and {max}");

    /// <remarks>Written so that NaN, which is in no range, fails too.</remarks>
    private static string? Between(string field, double value, double min, double max) =>
        value >= min && value <= max ? null : Invariant($"{field} {value} is not between {min} and {max}");

    private static string? Time(string field, DateTimeOffset value) =>
        value >= EarliestTime && value < LatestTime
            ? null
            : Invariant($"{field} {value:O} is not between {EarliestTime:yyyy-MM-dd} and {LatestTime:yyyy-MM-dd}");
}
