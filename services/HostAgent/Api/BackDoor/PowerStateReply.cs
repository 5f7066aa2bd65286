namespace CloudBus.HostAgent.Api.BackDoor;

public sealed record PowerStateReply(bool On);
