using System.Net.Sockets;

namespace CloudBus.HostAgent.Libvirt;

/// <summary>Reaching another host over the network: its agent's port accepts a TCP connection.</summary>
public static class NeighbourReach
{
    public static async Task<bool> ConnectsAsync(Uri address, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address.Host, address.Port, linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
