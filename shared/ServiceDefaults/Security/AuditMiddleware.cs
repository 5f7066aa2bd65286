using System.Diagnostics;
using CloudBus.Security;
using CloudBus.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Security;

/// <summary>
/// Appends every changing request (anything but GET, HEAD and OPTIONS) to the <see cref="AuditLog"/>
/// once it is answered, refused ones included. A request is not failed because its audit record
/// could not be written (the database may blink): that is logged as a warning instead.
/// </summary>
internal sealed partial class AuditMiddleware(RequestDelegate next, AuditLog audit, TimeProvider clock, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ChangingRequests.IsChanging(context.Request.Method))
        {
            await next(context);
            return;
        }
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            await AppendAsync(context, status);
        }
    }

    private async Task AppendAsync(HttpContext context, int status)
    {
        var record = new AuditRecord(0, clock.GetUtcNow(),
            context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "(no subject)" : "anonymous",
            context.User.FindFirst(OperatorRoles.ClaimType)?.Value, context.Request.Method, context.Request.Path.Value ?? "/", status,
            Activity.Current?.TraceId.ToString());
        try
        {
            await audit.AppendAsync(record, CancellationToken.None);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            LogNotAudited(logger, exception, record.Method, record.Path, record.Subject, record.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the audit record of {Method} {Path} by {Subject} (answered {Status})")]
    private static partial void LogNotAudited(ILogger logger, Exception exception, string method, string path, string subject, int status);
}
