namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// The outcome of one BMC call: the power state (or GUID) the BMC reported, or why the call failed. A
/// result, not an exception, because every failure is an expected answer that fencing acts on.
/// </summary>
public sealed record BmcCallResult
{
    private BmcCallResult()
    {
    }

    /// <summary>The chassis power state after the call; null when the call failed.</summary>
    public BmcPowerState? Power { get; private init; }

    /// <summary>The BMC's system GUID (lower case), for <c>mc guid</c>; null otherwise.</summary>
    public string? SystemGuid { get; private init; }

    /// <summary>Why the call failed; null when it succeeded.</summary>
    public BmcFailure? Failure { get; private init; }

    /// <summary>What went wrong, for operators: names the BMC and, where it helps, the setting to fix.</summary>
    public string? Error { get; private init; }

    public bool Succeeded => Failure is null;

    public static BmcCallResult Ok(BmcPowerState power) => new() { Power = power };

    public static BmcCallResult Identified(string systemGuid) => new() { SystemGuid = systemGuid };

    public static BmcCallResult Failed(BmcFailure failure, string error) => new() { Failure = failure, Error = error };

    public override string ToString() => Succeeded ? (SystemGuid is null ? $"power {Power}" : $"GUID {SystemGuid}") : $"{Failure}: {Error}";
}
