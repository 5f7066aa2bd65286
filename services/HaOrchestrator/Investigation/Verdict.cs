using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Investigation;

/// <summary>A verdict and the one-sentence reason for it.</summary>
public sealed record Verdict(HostVerdict Value, string Reason);
