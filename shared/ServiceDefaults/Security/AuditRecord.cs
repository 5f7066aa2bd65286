namespace CloudBus.ServiceDefaults.Security;

/// <summary>
/// One changing request as the audit log keeps it: who (the token's subject and role, or
/// "anonymous"), what (method and path; never the body, which may hold secrets), when, and the
/// answer's status (refusals included).
/// </summary>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Subject, string? Role, string Method, string Path, int Status, string? TraceId);

/// <summary>A page of the audit log, newest first; <see cref="Next"/> is the <c>before</c> of the next page, null on the last.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? Next);
