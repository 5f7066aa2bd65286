namespace CloudBus.Messages.Vms;

/// <summary>Where VM commands go: VmLifecycle's command queue (its instances compete on it).</summary>
public static class VmCommands
{
    public const string QueueName = "vm-lifecycle-commands";

    /// <summary>
    /// The exchange of the same name, which VmLifecycle binds to its queue. A <c>queue:</c> address
    /// would make every sender declare the queue itself, without its arguments, and RabbitMQ refuses
    /// that for a quorum queue (<c>inequivalent arg 'x-queue-type'</c>).
    /// </summary>
    public static readonly Uri Address = new($"exchange:{QueueName}");
}
