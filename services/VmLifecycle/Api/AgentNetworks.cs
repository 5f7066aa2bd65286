using System.Net;
using Microsoft.Extensions.Options;

namespace CloudBus.VmLifecycle.Api;

/// <summary>
/// The networks host agents may be registered in (<see cref="VmLifecycleOptions.AllowedAgentNetworks"/>).
/// The control plane calls every registered address, so an address outside them (a cloud's
/// metadata service, a public site, an internal service) would let whoever registers a host make
/// the control plane send requests there. A name must resolve, and only to allowed addresses.
/// </summary>
public sealed class AgentNetworks(IOptions<VmLifecycleOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);
    private readonly IReadOnlyList<IPNetwork> _allowed = Parse(options.Value.AllowedAgentNetworks);

    public const string SettingMessage = "VmLifecycle:AllowedAgentNetworks must be comma-separated networks such as 10.0.0.0/8,fd00::/8.";

    /// <summary>Whether the setting is a comma-separated list of CIDRs (checked at start).</summary>
    public static bool IsValid(string networks) => Entries(networks).All(cidr => IPNetwork.TryParse(cidr, out _));

    private static IReadOnlyList<IPNetwork> Parse(string networks) => [.. Entries(networks).Select(cidr => IPNetwork.Parse(cidr))];

    private static string[] Entries(string networks) => networks.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <returns>Null when every address is in an allowed network, else why one is not.</returns>
    public async Task<string?> CheckAsync(IEnumerable<Uri> addresses, CancellationToken cancellationToken)
    {
        foreach (var address in addresses)
        {
            IPAddress[] resolved;
            if (IPAddress.TryParse(address.Host, out var literal)) resolved = [literal];
            else
            {
                using var deadline = new CancellationTokenSource(ResolveTimeout, clock);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                try
                {
                    resolved = await Dns.GetHostAddressesAsync(address.IdnHost, timeout.Token);
                }
                catch (Exception exception) when (exception is System.Net.Sockets.SocketException or OperationCanceledException
                                                  && !cancellationToken.IsCancellationRequested)
                {
                    return $"{address} cannot be resolved: {exception.Message}";
                }
            }
            if (resolved.Length == 0) return $"{address} resolves to no address.";
            var outside = resolved.Select(ip => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).FirstOrDefault(ip => !_allowed.Any(n => n.Contains(ip)));
            if (outside is not null)
                return $"{address} ({outside}) is outside the networks agents may be registered in ({options.Value.AllowedAgentNetworks}); see VmLifecycle__AllowedAgentNetworks.";
        }
        return null;
    }
}
