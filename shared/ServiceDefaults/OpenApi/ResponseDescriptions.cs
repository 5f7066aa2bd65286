using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CloudBus.ServiceDefaults.OpenApi;

/// <summary>
/// Writes each response's description from the route's metadata (<see cref="ApiResponses"/>): the
/// document generator of Microsoft.AspNetCore.OpenApi 10 leaves the bare reason phrase ("Not Found").
/// </summary>
internal sealed class ResponseDescriptions : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var declared in context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>())
            if (declared.Description is { } description && operation.Responses?.TryGetValue(declared.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse described)
                described.Description = description;
        return Task.CompletedTask;
    }
}
