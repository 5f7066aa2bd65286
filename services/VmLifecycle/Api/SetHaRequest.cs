using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Api;

/// <summary>PUT /vms/{id}/ha: what HA does for the VM, and its place in the restart order.</summary>
public sealed record SetHaRequest(string? HaLevel, int RestartPriority)
{
    public RequestValidation Validate() => new RequestValidation()
        .Require(HaLevel is not null && Enum.TryParse<VmHaLevel>(HaLevel, ignoreCase: true, out _), "haLevel", VmSettingsRules.HaLevelMessage)
        .Check("restartPriority", VmSettingsRules.RestartPriority(RestartPriority));

    public VmHaLevel ParsedHaLevel => Enum.Parse<VmHaLevel>(HaLevel!, ignoreCase: true);
}
