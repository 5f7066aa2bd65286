using CloudBus.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudBus.ServiceDefaults.Security;

public static class AuditEndpoints
{
    private const int DefaultPageSize = 100;

    /// <summary><c>GET /audit?limit=&amp;before=</c>: the service's audit log, newest first, for admins.</summary>
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/audit", async (int? limit, long? before, AuditLog audit, CancellationToken ct) =>
            limit is < 1 or > AuditLog.MaxPageSize
                ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid page size",
                    detail: $"limit must be between 1 and {AuditLog.MaxPageSize}; it was {limit}.")
                : Results.Ok(await audit.PageAsync(limit ?? DefaultPageSize, before, ct)))
            .ForAdmins()
            .Answers<AuditPage>("Newest first; next is the before= of the following page (null on the last).")
            .AnswersProblem(StatusCodes.Status400BadRequest, $"limit is not between 1 and {AuditLog.MaxPageSize}, or limit or before is not a number.");
        return endpoints;
    }
}
