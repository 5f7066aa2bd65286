namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>One exported span: the service that exported it, its trace and its name.</summary>
public sealed record OtlpSpan(string Service, string TraceId, string Name);
