using CloudBus.HostAgent.Storage;
using CloudBus.HostAgent.Watchdog;
using Microsoft.Extensions.Options;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>
/// This host's storage heartbeat: written (and fsync'ed) to the cluster's shared folder every
/// interval, and the watchdog petted after each write that succeeded. When no write has succeeded
/// for the self-fence time, every VM this host runs is destroyed, because its neighbours are about
/// to call it Down and restart them elsewhere, and the watchdog is never petted again: the host
/// resets even if a destroy hangs. If the agent itself hangs or dies, the pets stop with the
/// writes, so the watchdog resets the host within the same time.
/// </summary>
public sealed partial class LibvirtHeartbeat(
    LibvirtConnection libvirt, HeartbeatStore storage, IWatchdog watchdog, IOptions<LibvirtOptions> options, TimeProvider clock,
    ILogger<LibvirtHeartbeat> logger)
    : IHeartbeatRound
{
    private bool _selfFenced;
    private readonly LibvirtOptions _options = options.Value;
    private readonly HostHeartbeatTracker _tracker = new(LastWrittenAt(storage, options.Value, clock));
    private readonly Lock _gate = new();

    public TimeSpan Interval => _options.HeartbeatInterval;

    public void Run()
    {
        lock (_gate) Write();
        SelfFenceIfStale();
    }

    public void SelfFenceIfStale()
    {
        TimeSpan staleFor;
        lock (_gate) staleFor = _tracker.StaleFor(clock.GetUtcNow());
        if (staleFor < _options.SelfFenceAfter) return;
        lock (_gate)
        {
            if (!_selfFenced && watchdog.Armed) LogWatchdogLeft(_options.HostId);
            _selfFenced = true;
        }

        var destroyed = 0;
        foreach (var domain in libvirt.ListActiveDomains())
            if (DomainXml.Read(domain.Metadata) is not null && libvirt.Destroy(domain.Name))
                destroyed++;
        if (destroyed > 0) LogSelfFenced(_options.HostId, staleFor, destroyed);
    }

    /// <summary>
    /// Where this agent's self-fence clock starts: at the host's last heartbeat on storage, not at
    /// the agent's start. Neighbours count the silence from that write; an agent restarted while
    /// storage fails must destroy the VMs by then, not a restart later. A host that never wrote one
    /// starts now (no heartbeat, no proof for anyone); storage that cannot even be read counts as
    /// silent for the whole self-fence time already.
    /// </summary>
    private static DateTimeOffset LastWrittenAt(HeartbeatStore storage, LibvirtOptions options, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        try
        {
            return storage.TryRead(options.HostId)?.WrittenAt is { } written && written < now ? written : now;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return now - options.SelfFenceAfter;
        }
    }

    private void Write()
    {
        var now = clock.GetUtcNow();
        try
        {
            // Carries on from the sequence already on storage, so an agent restart never makes the heartbeat go back.
            var sequence = (_tracker.Sequence ?? storage.TryRead(_options.HostId)?.Sequence ?? 0) + 1;
            storage.Write(new StorageHeartbeat(_options.HostId, sequence, now, _options.SelfFenceAfter, watchdog.Armed));
            if (_tracker.Written(sequence, now)) LogWriteRestored(_options.HostId);
            if (!_selfFenced) watchdog.Pet();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_tracker.MarkFailing()) LogWriteFailed(e, _options.HostId, storage.Directory);
        }
    }

    [LoggerMessage(EventId = 1220, Level = LogLevel.Warning, Message = "Host {HostId} cannot write its storage heartbeat in {Directory}; it fences itself if this lasts")]
    private partial void LogWriteFailed(Exception exception, string hostId, string directory);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Information, Message = "Host {HostId} writes its storage heartbeat again")]
    private partial void LogWriteRestored(string hostId);

    [LoggerMessage(EventId = 1223, Level = LogLevel.Critical, Message = "Host {HostId} stops petting its watchdog: it will reset")]
    private partial void LogWatchdogLeft(string hostId);

    [LoggerMessage(EventId = 1222, Level = LogLevel.Critical, Message = "Host {HostId} self-fenced: no storage heartbeat written for {StaleFor}; destroyed {Count} VMs")]
    private partial void LogSelfFenced(string hostId, TimeSpan staleFor, int count);
}
