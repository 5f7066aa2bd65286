using System.Text.Json;

namespace CloudBus.Bench.BadInput;

/// <summary>Reads the operations of an OpenAPI 3 document (as ASP.NET Core's generator writes it), resolving schema references.</summary>
public static class OpenApiOperations
{
    public static IReadOnlyList<ApiOperation> Read(string service, Uri baseAddress, JsonElement document)
    {
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
                operations.Add(new ApiOperation(service, baseAddress, operation.Name.ToUpperInvariant(), path.Name,
                    Parameters(parameters, "path"), Parameters(parameters, "query"), BodySchema(document, operation.Value),
                    BodyIsOptional(operation.Value), document));
            }
        return operations;
    }

    /// <summary>The schema <paramref name="schema"/> stands for: a <c>$ref</c> followed, a nullable <c>oneOf</c> unwrapped.</summary>
    public static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            return Resolve(document, document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]));
        if (schema.TryGetProperty("oneOf", out var choices))
            foreach (var choice in choices.EnumerateArray())
                if (!IsNullOnly(choice)) return Resolve(document, choice);
        return schema;
    }

    /// <summary>Whether null is a valid value of <paramref name="schema"/> (before <see cref="Resolve"/>, which drops that).</summary>
    public static bool IsNullable(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "null"))
        || (schema.TryGetProperty("oneOf", out var choices) && choices.EnumerateArray().Any(IsNullOnly));

    /// <summary>The schema's JSON type without "null": string, integer, number, boolean, array or object.</summary>
    public static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out _)) return "enum";
        if (schema.TryGetProperty("properties", out _)) return "object";
        if (!schema.TryGetProperty("type", out var type)) return "object";
        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
        foreach (var preferred in new[] { "integer", "number", "boolean", "array", "object", "string" })
            if (types.Contains(preferred)) return preferred;
        return "string";
    }

    private static bool IsNullOnly(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "null";

    private static List<ApiParameter> Parameters(List<JsonElement> parameters, string location) =>
        parameters.Where(p => p.GetProperty("in").GetString() == location)
            .Select(p => new ApiParameter(p.GetProperty("name").GetString()!, KindOf(p.GetProperty("schema"))))
            .ToList();

    private static string KindOf(JsonElement schema) =>
        schema.TryGetProperty("format", out var format) && format.GetString() == "uuid" ? "uuid" : TypeOf(schema);

    /// <summary>A route whose body may be left out or be null (options of an operation): then neither is bad input.</summary>
    private static bool BodyIsOptional(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json)
        && IsNullable(json.GetProperty("schema"));

    private static JsonElement? BodySchema(JsonElement document, JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json)
            ? Resolve(document, json.GetProperty("schema"))
            : null;
}
