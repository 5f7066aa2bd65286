using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>Exactly one of the two: the host proven fenced, or why it could not be.</summary>
public sealed record FencingResult(HostFenced? Fenced, HostFencingFailed? Failed);
