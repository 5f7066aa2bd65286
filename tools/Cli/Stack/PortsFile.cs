namespace CloudBus.Cli.Stack;

/// <summary>
/// Reads ./up.sh's <c>.run/ports.env</c>: lines <c>VM_LIFECYCLE_URL=http://127.0.0.1:PORT</c>, or,
/// with several instances of a service, one per instance (<c>VM_LIFECYCLE_1_URL</c>,
/// <c>VM_LIFECYCLE_2_URL</c>, ...): any instance answers for its whole service, so each is an
/// address to try, in order.
/// </summary>
internal static class PortsFile
{
    /// <summary>How many numbered instances of one service are looked for (far more than a local stack runs).</summary>
    private const int MaxInstances = 32;

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
            var named = Enumerable.Range(1, MaxInstances).Select(n => $"{key}_{n}_URL").Prepend($"{key}_URL");
            foreach (var value in named.Select(values.GetValueOrDefault).OfType<string>())
                if (Uri.TryCreate(value, UriKind.Absolute, out var address))
                    yield return (service, StackConnection.WithSlash(address));
        }
    }
}
