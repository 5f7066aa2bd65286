namespace CloudBus.HaOrchestrator.Incidents;

/// <summary>One step of an incident's timeline: when, what, why, and the evidence behind it.</summary>
public sealed record IncidentStep(DateTimeOffset At, string Step, string Detail, IReadOnlyList<string> Evidence);
