using CloudBus.Ring;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// Told each time this instance takes a newer ring of its own service: for work that must follow
/// membership (drain a departed instance's queue, settle what a dead instance left in flight).
/// Register as a singleton <c>IRingObserver</c>.
/// </summary>
public interface IRingObserver
{
    Task RingAdvancedAsync(RingSnapshot previous, RingSnapshot current);
}
