using CloudBus.Messages.Ha;

namespace CloudBus.HaOrchestrator.Restarts;

/// <summary>What a restart does next: its new status, when to try again (if it will), and why.</summary>
public sealed record RestartStep(RestartStatus Status, DateTimeOffset? NextAttemptAt, string Message, string? RunningOn = null);
