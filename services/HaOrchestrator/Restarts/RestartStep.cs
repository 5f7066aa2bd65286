using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>
/// What a restart does next: its new status, when to try again (if it will), and why.
/// <paramref name="Waited"/>: the attempt did not count toward the limit (the VM could not be started yet through nobody's failure).
/// </summary>
public sealed record RestartStep(RestartStatus Status, DateTimeOffset? NextAttemptAt, string Message, string? RunningOn = null, bool Waited = false);
