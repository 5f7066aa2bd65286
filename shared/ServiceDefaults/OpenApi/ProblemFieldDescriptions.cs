using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CloudBus.ServiceDefaults.OpenApi;

/// <summary>
/// Says in the document what each field of a problem (RFC 7807) means, as CloudBus fills it in:
/// the framework's schema names the fields only.
/// </summary>
internal sealed class ProblemFieldDescriptions : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["type"] = "A URI for the kind of problem (the RFC 9110 section of the status when no more specific one applies).",
        ["title"] = "A short, stable summary of the kind of problem (\"Unknown host\", \"Illegal state transition\"); the same for every occurrence.",
        ["status"] = "The HTTP status code, repeated in the body.",
        ["detail"] = "What went wrong this time, in words meant for the operator: which resource, which rule, what to do.",
        ["instance"] = "The request the problem is about, when set.",
        ["errors"] = "For an invalid request: each offending field (camelCase, as sent) with what is wrong with it.",
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type != typeof(ProblemDetails) && type != typeof(HttpValidationProblemDetails)) return Task.CompletedTask;
        schema.Description = "A problem (RFC 7807, application/problem+json): every error CloudBus answers has this shape; " +
                             "traceId, when present, finds the request in the service's logs and traces.";
        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            if (property is OpenApiSchema field && Fields.TryGetValue(name, out var meaning))
                field.Description = meaning;
        return Task.CompletedTask;
    }
}
