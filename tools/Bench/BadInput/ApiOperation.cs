using System.Text.Json;

namespace CloudBus.Bench.BadInput;

/// <summary>One route as a service's OpenAPI document describes it: what the bad-input suite aims at.</summary>
public sealed record ApiOperation(string Service, Uri BaseAddress, string Method, string PathTemplate,
    IReadOnlyList<ApiParameter> PathParameters, IReadOnlyList<ApiParameter> QueryParameters, JsonElement? BodySchema, bool BodyIsOptional, JsonElement Document)
{
    public override string ToString() => $"{Service} {Method} {PathTemplate}";
}

/// <summary>A path or query parameter; <see cref="Kind"/> is its schema's type ("string", "uuid", "integer", "boolean").</summary>
public sealed record ApiParameter(string Name, string Kind);
