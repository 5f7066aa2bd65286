using System.Net;
using System.Net.Sockets;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP port on loopback that nothing listens on right now, outside the kernel's ephemeral range:
/// a port the OS hands out from that range can be taken by any outgoing connection (pings, long
/// polls) before the service started on it binds it (seen in CI: "address already in use"). The
/// same rule as scripts/lib/servers.sh's cloudbus_free_port.
/// </summary>
public static class FreePort
{
    private const int Lowest = 20000;
    private const int Highest = 60000;
    private static readonly (int First, int Last) Ephemeral = ReadEphemeralRange();

    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            if (port >= Ephemeral.First && port <= Ephemeral.Last) continue;
            if (Bindable(port)) return port;
        }
        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest} outside the ephemeral range {Ephemeral}.");
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The kernel's range, unless it leaves too few ports outside it (then any port will do).</summary>
    private static (int First, int Last) ReadEphemeralRange()
    {
        try
        {
            var fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var (first, last) = (int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
            return first - Lowest < 2000 && Highest - last < 2000 ? (0, -1) : (first, last);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return (0, -1);
        }
    }
}
