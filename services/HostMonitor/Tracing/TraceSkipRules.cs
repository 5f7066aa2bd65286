namespace CloudBus.HostMonitor.Tracing;

/// <summary>
/// The skip-trace rules (ZStack's split-brain fix and its review): a skip lasts until its
/// operation's explicit continue; when the operating instance leaves, the skip is not dropped but
/// orphaned with a TTL, because the operation may still be completing; an expired orphan is
/// purged and tracing resumes. Pure: the caller passes the time.
/// </summary>
public static class TraceSkipRules
{
    public static bool IsActive(TraceSkip skip, DateTimeOffset now) => skip.ExpiresAt is null || skip.ExpiresAt > now;

    /// <summary>The skips whose operating instance is no longer alive, orphaned now with the TTL (each orphaned once).</summary>
    public static IReadOnlyList<TraceSkip> OrphanDeparted(IEnumerable<TraceSkip> skips, IReadOnlySet<string> liveOperators, DateTimeOffset now, TimeSpan ttl) =>
        skips.Where(s => !s.IsOrphaned && !liveOperators.Contains(s.OperatingInstance))
            .Select(s => s with { OrphanedAt = now, ExpiresAt = now + ttl })
            .ToList();

    public static IReadOnlyList<TraceSkip> Expired(IEnumerable<TraceSkip> skips, DateTimeOffset now) =>
        skips.Where(s => !IsActive(s, now)).ToList();
}
