using System.Net.Http.Json;
using System.Reflection;
using System.Runtime.CompilerServices;
using CloudBus.Cli.Api;
using CloudBus.Cli.Stack;

namespace CloudBus.IntegrationTests.OpenApi;

/// <summary>
/// What the <c>cloudbus</c> client asks of the services, taken from the client itself: every public
/// method of <see cref="ControlPlaneClient"/> is called once against a handler that records the
/// request instead of sending it. So a method added to the client is checked without anyone listing
/// it here. What it reads and sends are the JSON names of its own record types, as it writes them.
/// </summary>
public static class ClientCalls
{
    public const string BackDoor = StackConnection.BackDoor;

    /// <summary>The client's JSON settings, able to describe any type (its own resolve only once it has serialized one).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Json =
        new(ControlPlaneClient.Json) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

    public sealed record ClientCall(string Client, string Service, string Method, string Path, IReadOnlyList<string> Query,
        IReadOnlyList<string> Reads, bool ReadsList, IReadOnlyList<string>? Sends)
    {
        public override string ToString() => $"{Client}: {Service} {Method} {Path}";
    }

    public static async Task<IReadOnlyList<ClientCall>> RecordAsync()
    {
        var recorder = new Recorder();
        // Each service at an address named after it, so a recorded request says which service it was for.
        var addresses = StackConnection.ServiceNames.ToDictionary(name => name, name => (IReadOnlyList<Uri>)[new Uri($"http://{name}.invalid/")]);
        using var http = new HttpClient(recorder);
        var client = new ControlPlaneClient(http, new StackConnection(addresses, "token", "test", LocalStack: null));
        var calls = new List<ClientCall>();
        // Every call the client makes (its property getters are not calls).
        foreach (var method in typeof(ControlPlaneClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                     .Where(method => !method.IsSpecialName))
        {
            var request = await recorder.RecordAsync(() => (Task)method.Invoke(client, [.. method.GetParameters().Select(ArgumentFor)])!);
            var answer = method.ReturnType.GetGenericArguments().Single();
            var item = ListItem(answer);
            calls.Add(new ClientCall(method.Name, request.RequestUri!.Host.Replace(".invalid", "", StringComparison.Ordinal), request.Method.Method,
                request.RequestUri.AbsolutePath, QueryNames(request.RequestUri), JsonNames(item ?? answer), item is not null,
                request.Content is JsonContent body ? JsonNames(body.ObjectType) : null));
        }
        return calls;
    }

    /// <summary>A value for each parameter: the path it makes does not matter, only which route it reaches.</summary>
    private static object? ArgumentFor(ParameterInfo parameter) => parameter.ParameterType switch
    {
        var type when type == typeof(CancellationToken) => CancellationToken.None,
        var type when type == typeof(string) => "some-" + parameter.Name,
        var type when type.IsValueType => Activator.CreateInstance(type),
        // A request record with every field unset: its type, not its values, is what is checked.
        var type => RuntimeHelpers.GetUninitializedObject(type),
    };

    private static Type? ListItem(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>))
            ? type.GetGenericArguments()[0]
            : null;

    /// <summary>The property names the client writes and reads for <paramref name="type"/>, with its own JSON settings.</summary>
    private static string[] JsonNames(Type type) =>
        Json.GetTypeInfo(type) is { Kind: System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object } info
            ? [.. info.Properties.Where(p => p.Get is not null).Select(p => p.Name)] // [JsonIgnore] leaves a property listed, without a getter
            : [];

    private static string[] QueryNames(Uri uri) =>
        [.. uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => Uri.UnescapeDataString(pair.Split('=')[0]))];

    /// <summary>Keeps the request and answers nothing: the client's call fails with <see cref="Recorded"/>, as meant.</summary>
    private sealed class Recorder : HttpMessageHandler
    {
        private HttpRequestMessage? _last;

        public async Task<HttpRequestMessage> RecordAsync(Func<Task> call)
        {
            _last = null;
            await Assert.ThrowsAsync<Recorded>(call);
            return _last ?? throw new InvalidOperationException("the client method sent no request");
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _last = request;
            throw new Recorded();
        }
    }

    private sealed class Recorded : Exception;
}
