using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven over the Chrome DevTools Protocol on a WebSocket: open a
/// page, evaluate JavaScript in it, take a screenshot. Started with the flags this closed network
/// needs (no background networking, no component updates) and a fresh profile of its own.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _page = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: ./test.sh installs Debian's chromium package (apt-get install chromium).");
        var profile = Directory.CreateTempSubdirectory("cloudbus-chromium-").FullName;
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
                 })
            start.ArgumentList.Add(flag);
        var process = Process.Start(start)!;
        // Chromium's chatter is not ours to read, but its pipes must not fill up.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Chromium writes the port it chose to DevToolsActivePort in its profile; the page's socket is listed at /json/list.</summary>
    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var port = await Eventually.ReturnsAsync(
            () => Task.FromResult(File.Exists(portFile) ? File.ReadLines(portFile).FirstOrDefault() : null),
            line => int.TryParse(line, out _), CallTimeout, "Chromium's DevToolsActivePort");
        using var http = new HttpClient();
        var targets = await Eventually.ReturnsAsync(
            async () => JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")))!.AsArray(),
            list => list.Any(t => (string?)t!["type"] == "page"), CallTimeout, "a page in Chromium");
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await _page.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
    }

    /// <summary>Opens <paramref name="url"/> in the page (not waiting for it to load: callers wait for what they expect to see).</summary>
    public Task NavigateAsync(Uri url) => CallAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });

    /// <summary>The value of a JavaScript expression in the page, as JSON (a promise is awaited).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } failure) throw new InvalidOperationException($"{expression} threw in the page: {failure.ToJsonString()}");
        return result["result"]!["value"];
    }

    /// <summary>The page as a PNG, written to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var result = await CallAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)result["data"]!));
    }

    /// <summary>One DevTools call: the answer with its id; events the page sends meanwhile are skipped.</summary>
    private async Task<JsonNode> CallAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        using var deadline = new CancellationTokenSource(CallTimeout);
        await _page.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, deadline.Token);
        while (true)
        {
            var answer = JsonNode.Parse(await ReceiveAsync(deadline.Token))!;
            if ((int?)answer["id"] != id) continue;
            if (answer["error"] is { } error) throw new InvalidOperationException($"Chromium refused {method}: {error.ToJsonString()}");
            return answer["result"]!;
        }
    }

    private async Task<string> ReceiveAsync(CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult part;
        do
        {
            part = await _page.ReceiveAsync(buffer, ct);
            message.Write(buffer, 0, part.Count);
        }
        while (!part.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        _page.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's last writes may still land in its profile; a temp folder left behind is harmless.
        }
    }
}
