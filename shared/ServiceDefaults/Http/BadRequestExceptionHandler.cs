using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CloudBus.ServiceDefaults.Http;

/// <summary>
/// Answers a body or parameter the framework could not bind (malformed JSON, missing body, wrong
/// content type, a body over the size limit) with problem details that say what was wrong, instead
/// of an empty 400. Every other exception is a fault of ours: the framework's handler answers it
/// with a 500 problem that carries the trace id, never an empty body.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "Invalid request",
                Detail = Describe(httpContext, badRequest),
            },
        }).ConfigureAwait(false);
    }

    private static string Describe(HttpContext httpContext, BadHttpRequestException badRequest)
    {
        // The framework's own words for a missing body suggest "a Service", which misleads a client.
        if (badRequest.StatusCode == StatusCodes.Status400BadRequest
            && httpContext.Request.ContentLength is null or 0
            && httpContext.Request.Headers.TransferEncoding.Count == 0)
        {
            return "A JSON request body is required.";
        }

        // The inner JsonException names the offending property and position.
        return badRequest.InnerException is { } inner ? $"{badRequest.Message} {inner.Message}" : badRequest.Message;
    }
}
