using Microsoft.Extensions.Options;

namespace CloudBus.WebConsole;

/// <summary>
/// <c>GET /api/{service}/{**path}</c>: the page's reads, passed to the service with the caller's
/// own token. The console holds no credential of its own, so it can show no more than the person
/// looking at it may read; and it reads only (GET): operations stay with the services' APIs and the
/// cloudbus command, where the roles that may do them are checked.
/// </summary>
public static partial class ApiProxy
{
    public const string ClientName = "services";

    public static void MapApiProxy(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/{service}/{**path}", ForwardAsync);

    private static async Task<IResult> ForwardAsync(
        string service, string? path, HttpContext context, IOptions<ConsoleOptions> options, IHttpClientFactory clients, ILoggerFactory logs)
    {
        var instances = options.Value.InstancesOf(service);
        if (instances.Count == 0)
            return Results.Problem($"The console reads {string.Join(", ", ConsoleOptions.ServiceNames)}; there is no service '{service}'.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown service");

        var http = clients.CreateClient(ClientName);
        var unanswered = new List<string>();
        foreach (var instance in instances)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(instance, (path ?? "") + context.Request.QueryString));
            if (context.Request.Headers.Authorization is { Count: > 0 } authorization)
                request.Headers.TryAddWithoutValidation("Authorization", authorization.ToString());
            request.Headers.Accept.ParseAdd("application/json");
            try
            {
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                cancel.CancelAfter(options.Value.CallTimeout);
                using var response = await http.SendAsync(request, cancel.Token);
                var body = await response.Content.ReadAsByteArrayAsync(cancel.Token);
                // The service's own answer, problem details included, with its status.
                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
                return Results.Empty;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
            {
                unanswered.Add($"{instance} ({exception.Message})");
            }
        }

        LogNotAnswering(logs.CreateLogger(typeof(ApiProxy).FullName!), service, string.Join("; ", unanswered));
        return Results.Problem($"{service} does not answer at {string.Join("; ", unanswered)}.", statusCode: StatusCodes.Status502BadGateway, title: "Service not answering");
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "{Service} does not answer: {Instances}")]
    private static partial void LogNotAnswering(ILogger logger, string service, string instances);
}
