using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Api;

/// <summary>PUT /vms/{id}/ha: what HA does for the VM, and its place in the restart order.</summary>
public sealed record SetHaRequest(string? HaLevel, int RestartPriority)
{
    public RequestValidation Validate() => new RequestValidation()
        .Require(HaLevel is not null && Enum.TryParse<VmHaLevel>(HaLevel, ignoreCase: true, out _), "haLevel",
            $"haLevel must be one of {string.Join(", ", Enum.GetNames<VmHaLevel>())}.")
        .Require(RestartPriority is >= 0 and <= 1000, "restartPriority", "restartPriority must be between 0 and 1000.");

    public VmHaLevel ParsedHaLevel => Enum.Parse<VmHaLevel>(HaLevel!, ignoreCase: true);
}
