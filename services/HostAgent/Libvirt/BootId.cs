namespace CloudBus.HostAgent.Libvirt;

/// <summary>The id of the host's current boot, read once: an agent outlives no reboot.</summary>
internal static class BootId
{
    public static Guid Read(string file)
    {
        var text = File.ReadAllText(file).Trim();
        return Guid.TryParse(text, out var id)
            ? id
            : throw new InvalidOperationException($"{file} holds no boot id (a GUID), but: '{text}'.");
    }
}
