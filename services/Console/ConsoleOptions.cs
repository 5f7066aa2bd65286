namespace CloudBus.WebConsole;

/// <summary>
/// Where the console finds the services it shows: <c>Console__Services__vm_lifecycle=http://...</c>
/// and so on for host_monitor, node_registry and ha_orchestrator (underscores, because a shell
/// drops environment variables whose names hold a dash; <c>vm-lifecycle</c> is read too). Several
/// instances of a service are given comma-separated; the proxy asks the next when one does not answer.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The services the page reads, by the names it uses in <c>/api/{service}/...</c>.</summary>
    public static readonly IReadOnlyList<string> ServiceNames = ["vm-lifecycle", "host-monitor", "node-registry", "ha-orchestrator"];

    public Dictionary<string, string> Services { get; init; } = [];

    /// <summary>How long one call to a service may take before the next instance is asked.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The addresses of <paramref name="service"/>'s instances, or none when it is not configured.</summary>
    public IReadOnlyList<Uri> InstancesOf(string service) =>
        Services.FirstOrDefault(named => NameOf(named.Key) == service).Value is { } addresses
            ? [.. addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(WithSlash)]
            : [];

    /// <summary>The service a configuration key names: vm_lifecycle and vm-lifecycle are both vm-lifecycle.</summary>
    private static string NameOf(string key) => key.Replace('_', '-').ToLowerInvariant();

    /// <summary>Every configured address is an absolute http(s) URL of a known service; null when fine.</summary>
    public string? Problem()
    {
        foreach (var (key, addresses) in Services)
        {
            var service = NameOf(key);
            if (!ServiceNames.Contains(service))
                return $"Console:Services:{service}: not a service the console shows ({string.Join(", ", ServiceNames)})";
            foreach (var address in addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    return $"Console:Services:{service}: '{address}' is not an http(s) URL";
        }

        var missing = ServiceNames.Where(name => InstancesOf(name).Count == 0).ToList();
        return missing.Count == 0 ? null
            : $"Console:Services lacks {string.Join(", ", missing)} (Console__Services__{missing[0].Replace('-', '_')}=http://HOST:PORT)";
    }

    private static Uri WithSlash(string address) => new(address.EndsWith('/') ? address : address + "/");
}
