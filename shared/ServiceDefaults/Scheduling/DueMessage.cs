namespace CloudBus.ServiceDefaults.Scheduling;

/// <summary>A stored message whose time has come: published, or sent to <see cref="Destination"/> when it names a queue.</summary>
public sealed record DueMessage(Guid MessageId, object Message, Type Type, Uri? Destination);
