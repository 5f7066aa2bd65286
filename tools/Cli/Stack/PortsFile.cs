namespace CloudBus.Cli.Stack;

/// <summary>
/// Reads ./up.sh's <c>.run/ports.env</c>: lines <c>VM_LIFECYCLE_URL=http://127.0.0.1:PORT</c>, or, on
/// the ha topology, one per instance (<c>VM_LIFECYCLE_1_URL</c>, <c>VM_LIFECYCLE_2_URL</c>): the
/// first instance that is named answers for its whole service.
/// </summary>
internal static class PortsFile
{
    public static IEnumerable<(string Service, Uri Address)> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || separator <= 0) continue;
            values[line[..separator].Trim()] = line[(separator + 1)..].Trim();
        }

        foreach (var service in StackConnection.ServiceNames)
        {
            var key = service.Replace('-', '_').ToUpperInvariant();
            var value = values.GetValueOrDefault($"{key}_URL") ?? values.GetValueOrDefault($"{key}_1_URL");
            if (value is not null && Uri.TryCreate(value, UriKind.Absolute, out var address))
                yield return (service, StackConnection.WithSlash(address));
        }
    }
}
