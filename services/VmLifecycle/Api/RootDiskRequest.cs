namespace CloudBus.VmLifecycle.Api;

/// <summary>The root disk of a new VM: its image's virtual and actual sizes, and an optional disk offering size.</summary>
public sealed record RootDiskRequest(int ImageVirtualGib, int ImageActualGib, int? OfferingGib);
