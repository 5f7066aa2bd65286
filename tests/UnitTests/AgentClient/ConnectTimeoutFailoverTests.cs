using System.Net;
using System.Net.Sockets;
using System.Text;
using CloudBus.AgentClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.UnitTests.AgentClient;

/// <summary>
/// An address that drops connection attempts (a dead management network) costs the connect
/// timeout, not the whole call: with real sockets and the client as the services register it.
/// </summary>
public sealed class ConnectTimeoutFailoverTests
{
    [Fact]
    public async Task An_address_that_never_accepts_a_connection_is_left_after_the_connect_timeout_for_the_next()
    {
        using var blackHole = new BlackHoleAddress();
        using var agent = new OneShotAgent();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AgentClient:ConnectTimeout"] = "00:00:00.300",
                ["AgentClient:AllowPlainHttp"] = "true",
            }).Build())
            .AddHostAgentClient()
            .BuildServiceProvider();
        var client = services.GetRequiredService<HostAgentClient>();
        // Far longer than the connect timeout: the call can only succeed by moving on in time.
        using var callTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var ping = await client.PingAsync([blackHole.Address, agent.Address], "h1", callTimeout.Token);

        Assert.Equal("one-shot", ping.BootId);
        Assert.Equal(agent.Address, services.GetRequiredService<PreferredAgentAddresses>().Current("h1"));
    }

    /// <summary>
    /// A listening port whose accept queue is full and never drained: Linux drops further SYNs,
    /// so a connection attempt hangs as it does towards a host on a dead network.
    /// </summary>
    private sealed class BlackHoleAddress : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<Socket> _fillers = [];

        public BlackHoleAddress()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(0);
            var endpoint = (IPEndPoint)_listener.LocalEndPoint!;
            // A backlog of 0 holds one connection; a few more make sure the queue is full.
            for (var i = 0; i < 3; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try { filler.Connect(endpoint); } catch (SocketException) { }
                _fillers.Add(filler);
            }
            Address = new Uri($"http://127.0.0.1:{endpoint.Port}/");
        }

        public Uri Address { get; }

        public void Dispose()
        {
            foreach (var filler in _fillers) filler.Dispose();
            _listener.Dispose();
        }
    }

    /// <summary>Answers one ping with a fixed reply over a real socket.</summary>
    private sealed class OneShotAgent : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serving;

        public OneShotAgent()
        {
            _listener.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _serving = ServeAsync();
        }

        public Uri Address { get; }

        private async Task ServeAsync()
        {
            using var connection = await _listener.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0) return;
                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            const string body = """{"hostId":"h1","bootId":"one-shot","at":"2026-01-01T00:00:00Z"}""";
            var reply = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply));
        }

        public void Dispose()
        {
            _listener.Stop();
            _ = _serving.Exception;
        }
    }
}
