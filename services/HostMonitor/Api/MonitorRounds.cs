using CloudBus.HostMonitor.Monitoring;

namespace CloudBus.HostMonitor.Api;

/// <summary>What <c>GET /stats</c> answers: this instance's last ping and sync rounds (null before the first).</summary>
public sealed record MonitorRounds(RoundFigures? LastPingRound, RoundFigures? LastSyncRound);
