using System.Text.Json.Serialization;
using CloudBus.Messages;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Api;

/// <summary>PUT /vms/{id}/ha: what HA does for the VM, and its place in the restart order.</summary>
public sealed record SetHaRequest(string? HaLevel, int RestartPriority)
{
    public RequestValidation Validate() => new RequestValidation()
        .Require(EnumNames.TryParse<VmHaLevel>(HaLevel, out _), "haLevel", VmSettingsRules.HaLevelMessage)
        .Check("restartPriority", VmSettingsRules.RestartPriority(RestartPriority));

    [JsonIgnore]
    public VmHaLevel ParsedHaLevel => EnumNames.TryParse<VmHaLevel>(HaLevel, out var level) ? level : throw new InvalidOperationException(VmSettingsRules.HaLevelMessage);
}
