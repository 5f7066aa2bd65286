using System.Text.Json;
using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Storage;

/// <summary>
/// Storage heartbeats as files in a folder that every host of a cluster shares
/// (several agent processes may point at the same folder).
/// </summary>
public sealed class HeartbeatStore(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Directory { get; } = directory;

    /// <summary>
    /// Writes atomically: a temp file in the same folder, then a rename over the old heartbeat,
    /// so a neighbour reading at the same moment sees either the old or the new heartbeat, never half.
    /// Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when storage fails.
    /// </summary>
    public void Write(StorageHeartbeat heartbeat)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var target = PathFor(heartbeat.HostId);
        var temp = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(JsonSerializer.SerializeToUtf8Bytes(heartbeat, Json));
                // On disk (or on the NFS server) before it counts as written: a heartbeat still in
                // this host's page cache proves nothing to a neighbour.
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp); // no-op after a successful rename
        }
    }

    /// <summary>
    /// The last heartbeat written for a host, or null if there is none. A file that does not parse
    /// counts as none: a neighbour must never trust a heartbeat it cannot read.
    /// </summary>
    public StorageHeartbeat? TryRead(string hostId)
    {
        try
        {
            var heartbeat = JsonSerializer.Deserialize<StorageHeartbeat>(File.ReadAllBytes(PathFor(hostId)), Json);
            return heartbeat is not null && heartbeat.HostId == hostId ? heartbeat : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private string PathFor(string hostId)
    {
        // Host ids become file names: refuse anything that could point outside the folder.
        if (!HostIdRules.IsValid(hostId))
        {
            throw new ArgumentException(HostIdRules.Describe(hostId), nameof(hostId));
        }

        return Path.Combine(Directory, hostId + ".heartbeat");
    }
}
