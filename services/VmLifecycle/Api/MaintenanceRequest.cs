namespace CloudBus.VmLifecycle.Api;

/// <summary>POST /hosts/{id}/maintenance: into maintenance (Enabled) or back into service, with an optional reason.</summary>
public sealed record MaintenanceRequest(bool Enabled, string? Reason)
{
    public const int MaxReasonLength = 500;

    public RequestValidation Validate() => new RequestValidation().RequireText(Reason, "reason", MaxReasonLength);
}
