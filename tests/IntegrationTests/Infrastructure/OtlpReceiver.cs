using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A tiny OTLP/HTTP collector: accepts every export request and keeps its path and body. No
/// trace viewer runs here; this is enough to prove that a service exports what it should.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _requests = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Whether any export to <paramref name="path"/> contains every given text (protobuf keeps strings as UTF-8).</summary>
    public bool Received(string path, params string[] texts) =>
        _requests.Any(r => r.Path == path && texts.All(text => Contains(r.Body, Encoding.UTF8.GetBytes(text))));

    public IEnumerable<string> Paths => _requests.Select(r => r.Path);

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans() =>
        _requests.Where(r => r.Path == "/v1/traces").SelectMany(r => OtlpTraceReader.Spans(r.Body)).ToList();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _requests.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
