namespace CloudBus.Ring;

/// <summary>
/// The current ring of one service, as this instance knows it. Readers take <see cref="Current"/>
/// once and use that snapshot: no lock, no torn read.
/// <see cref="TryAdvance(RingSnapshot, out RingSnapshot)"/> swaps in a newer snapshot atomically and
/// ignores older or equal epochs, so a reader never goes back to a ring older than one it has
/// already seen (RingChanged messages may arrive out of order).
/// </summary>
public sealed class RingHolder(string service)
{
    private RingSnapshot _current = RingSnapshot.Empty(service);

    public string Service { get; } = service;

    public RingSnapshot Current => Volatile.Read(ref _current);

    /// <returns>True when <paramref name="next"/> replaced the current ring.</returns>
    public bool TryAdvance(RingSnapshot next) => TryAdvance(next, out _);

    /// <param name="replaced">The snapshot <paramref name="next"/> replaced (when it did).</param>
    public bool TryAdvance(RingSnapshot next, out RingSnapshot replaced)
    {
        if (next.Service != Service)
            throw new ArgumentException($"A ring of {next.Service} cannot replace the ring of {Service}.", nameof(next));
        while (true)
        {
            var current = Volatile.Read(ref _current);
            replaced = current;
            if (next.Epoch <= current.Epoch) return false;
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current)) return true;
        }
    }
}
