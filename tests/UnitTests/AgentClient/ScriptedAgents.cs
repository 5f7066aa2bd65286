using System.Net;
using System.Net.Http.Json;

namespace CloudBus.UnitTests.AgentClient;

/// <summary>
/// Agent addresses that each behave as a test says (answer, refuse the connection, answer 4xx), and
/// the order in which addresses were tried.
/// </summary>
public sealed class ScriptedAgents : HttpMessageHandler
{
    private readonly Dictionary<string, Func<CancellationToken, Task<HttpResponseMessage>>> _behaviour = [];

    public List<string> Tried { get; } = [];

    public Uri Answering(string name) => Add(name, _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
    {
        Content = JsonContent.Create(new { hostId = "h1", bootId = name, at = DateTimeOffset.UnixEpoch }),
    }));

    public Uri Refusing(string name) => Add(name, _ => throw new HttpRequestException("Connection refused (" + name + ")"));

    public Uri Rejecting(string name) => Add(name, _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Conflict) { Content = new StringContent("no capacity") }));

    public Uri Answering(string name, HttpStatusCode status, string body, string mediaType) => Add(name, _ => Task.FromResult(new HttpResponseMessage(status)
    {
        Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType),
    }));

    /// <summary>Never answers: only the caller's token ends the call.</summary>
    public Uri Silent(string name) => Add(name, async token =>
    {
        await Task.Delay(Timeout.Infinite, token);
        throw new InvalidOperationException("unreachable");
    });

    private Uri Add(string name, Func<CancellationToken, Task<HttpResponseMessage>> behaviour)
    {
        _behaviour[name] = behaviour;
        return new Uri($"http://{name}:7070/");
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var name = request.RequestUri!.Host;
        lock (Tried) Tried.Add(name);
        return _behaviour[name](cancellationToken);
    }
}
