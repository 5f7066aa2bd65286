using System.Text.Json;
using System.Text.RegularExpressions;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Security;

namespace CloudBus.IntegrationTests.OpenApi;

/// <summary>
/// A service's OpenAPI document (<c>/openapi/v1.json</c>), read as JSON: its operations, and the
/// schemas behind them with <c>$ref</c>s followed, so tests can ask what a route answers and takes.
/// </summary>
public sealed class ApiDocument(string service, JsonElement root)
{
    public string Service { get; } = service;

    public sealed record Operation(string Method, string Path, JsonElement Body)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    public static async Task<ApiDocument> FetchAsync(string service, Uri baseAddress)
    {
        using var http = TestTokens.Client(TimeSpan.FromSeconds(30), OperatorRoles.Viewer);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(baseAddress, "openapi/v1.json")));
        return new ApiDocument(service, document.RootElement.Clone());
    }

    public IEnumerable<Operation> Operations =>
        root.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(operation => operation.Name is not "parameters")
            .Select(operation => new Operation(operation.Name.ToUpperInvariant(), path.Name, operation.Value)));

    /// <summary>The operation a request to <paramref name="path"/> (a concrete path, no query) reaches, if the document has one.</summary>
    public Operation? Find(string method, string path) =>
        Operations.FirstOrDefault(o => o.Method == method && Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(o.Path), @"\\\{[^}]+}", "[^/]+") + "$"));

    /// <summary>The schema, with a <c>$ref</c> (into <c>components/schemas</c>) followed.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (true)
        {
            // An optional body is described as "null or the record": the record is what counts here.
            foreach (var choice in new[] { "oneOf", "anyOf" })
                if (schema.TryGetProperty(choice, out var options))
                    schema = options.EnumerateArray().FirstOrDefault(o => o.TryGetProperty("$ref", out _) || o.TryGetProperty("properties", out _), schema);
            if (!schema.TryGetProperty("$ref", out var reference)) break;
            var name = reference.GetString()!.Split('/')[^1];
            schema = root.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    /// <summary>The schema of the body the operation answers with <paramref name="status"/> in <paramref name="contentType"/>, if described.</summary>
    public JsonElement? ResponseSchema(Operation operation, string status, string contentType = "application/json") =>
        operation.Body.TryGetProperty("responses", out var responses) && responses.TryGetProperty(status, out var response)
        && response.TryGetProperty("content", out var content) && content.TryGetProperty(contentType, out var media)
        && media.TryGetProperty("schema", out var schema)
            ? Resolve(schema)
            : null;

    public JsonElement? RequestSchema(Operation operation) =>
        operation.Body.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var media)
            ? Resolve(media.GetProperty("schema"))
            : null;

    /// <summary>The element schema of an array schema, resolved; null when the schema is not an array.</summary>
    public JsonElement? Items(JsonElement schema) => schema.TryGetProperty("items", out var items) ? Resolve(items) : null;

    public static IReadOnlySet<string> PropertyNames(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToHashSet() : [];

    public static IReadOnlySet<string> RequiredNames(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
}
