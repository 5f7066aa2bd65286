using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudBus.Bench.BadInput;

/// <summary>
/// Every bad request the suite sends to one operation: each path and query parameter replaced by a
/// bad value (the rest well-formed), each body field replaced by a bad value (the rest of the body
/// well-formed, so the field's own check is what answers), and whole bodies that are not what the
/// route reads. Path parameters name real resources (<see cref="KnownIds"/>) so that input reaches
/// the checks behind the lookup.
/// </summary>
public static partial class BadInputCases
{
    private const string Json = "application/json";

    public static IEnumerable<BadInputCase> For(ApiOperation operation, KnownIds known)
    {
        var goodPath = known.Fill(operation.PathTemplate);
        var baseBody = operation.BodySchema is { } schema ? Example(operation.Document, schema, depth: 0)?.ToJsonString() : null;

        foreach (var parameter in operation.PathParameters)
            foreach (var (what, segment) in BadValues.PathSegments(parameter.Kind))
                yield return new(operation, known.Fill(operation.PathTemplate, (parameter.Name, segment)), baseBody, Json, $"path {parameter.Name}: {what}");

        foreach (var parameter in operation.QueryParameters)
            foreach (var (what, value) in BadValues.QueryValues)
                yield return new(operation, $"{goodPath}?{parameter.Name}={value}", baseBody, Json, $"query {parameter.Name}: {what}");

        if (operation.BodySchema is not { } bodySchema) yield break;
        foreach (var (field, what, body) in FieldMutations(operation.Document, bodySchema, JsonNode.Parse(baseBody ?? "{}")!.AsObject(), prefix: ""))
            yield return new(operation, goodPath, body, Json, $"body {field}: {what}");
        foreach (var (what, body, contentType) in WholeBodies())
            if (!(operation.BodyIsOptional && body is "" or "null"))
                yield return new(operation, goodPath, body, contentType, $"body: {what}");
    }

    private static IEnumerable<(string Field, string What, string Body)> FieldMutations(JsonElement document, JsonElement schema, JsonObject body, string prefix)
    {
        if (!schema.TryGetProperty("properties", out var properties)) yield break;
        foreach (var property in properties.EnumerateObject())
        {
            var fieldSchema = OpenApiOperations.Resolve(document, property.Value);
            var kind = OpenApiOperations.TypeOf(fieldSchema);
            if (kind == "string" && fieldSchema.TryGetProperty("format", out var format) && format.GetString() == "uuid") kind = "uuid";
            var idLike = property.Name.EndsWith("Id", StringComparison.Ordinal) || property.Name is "cluster" or "storageCluster" or "network" or "bridge" or "mac" or "source";
            foreach (var (what, value) in BadValues.For(kind, OpenApiOperations.IsNullable(property.Value), idLike))
            {
                var mutated = body.DeepClone().AsObject();
                mutated[property.Name] = value?.DeepClone();
                yield return (prefix + property.Name, what, mutated.ToJsonString());
            }
        }
    }

    private static IEnumerable<(string What, string? Body, string ContentType)> WholeBodies() =>
    [
        ("malformed JSON", "{\"name\": ", Json), ("an array", "[]", Json), ("null", "null", Json), ("a string", "\"text\"", Json),
        ("empty", "", Json), ("an unknown field", "{\"noSuchField\": 1}", Json), ("not JSON", "name=x", "text/plain"),
        ("200 KB", "{\"name\": \"" + new string('x', 200 * 1024) + "\"}", Json),
        ("nested 100 deep", new string('[', 100) + new string(']', 100), Json),
    ];

    /// <summary>
    /// A well-formed value of <paramref name="schema"/> (the value of <paramref name="property"/>):
    /// strings "probe", numbers 1, enums their first name, and what a few known fields need to be valid.
    /// </summary>
    private static JsonNode? Example(JsonElement document, JsonElement schema, int depth, string property = "")
    {
        schema = OpenApiOperations.Resolve(document, schema);
        switch (OpenApiOperations.TypeOf(schema))
        {
            case "integer" or "number": return property == "memoryMib" ? 64 : 1;
            case "boolean": return false;
            case "enum": return schema.GetProperty("enum")[0].GetString();
            case "array": return new JsonArray();
            case "object":
                var value = new JsonObject();
                if (depth > 3 || !schema.TryGetProperty("properties", out var properties)) return value;
                foreach (var field in properties.EnumerateObject())
                    if (IsRequired(schema, field.Name)) value[field.Name] = Example(document, field.Value, depth + 1, field.Name);
                return value;
            default:
                if (schema.TryGetProperty("format", out var format) && format.GetString() == "uuid") return Guid.NewGuid().ToString();
                return property switch
                {
                    "haLevel" => "None",
                    "agentAddress" => "http://127.0.0.1:9/",
                    _ => "probe",
                };
        }
    }

    private static bool IsRequired(JsonElement schema, string property) =>
        schema.TryGetProperty("required", out var required) && required.EnumerateArray().Any(r => r.GetString() == property);

    [GeneratedRegex("{([^}:]+)[^}]*}")]
    internal static partial Regex PathParameter();
}
