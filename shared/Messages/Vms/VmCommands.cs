namespace CloudBus.Messages.Vms;

/// <summary>Where VM commands go: VmLifecycle's command queue (its instances compete on it).</summary>
public static class VmCommands
{
    public const string QueueName = "vm-lifecycle-commands";

    public static readonly Uri Address = new($"queue:{QueueName}");
}
