namespace CloudBus.HostAgent.Api;

/// <summary>The problem-details answers the API gives, so every endpoint words them alike.</summary>
internal static class Problems
{
    public static IResult UnknownHost(string hostId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown host",
            detail: $"Host '{hostId}' is not served by this agent.");

    public static IResult NotFound(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);

    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: detail);

    public static IResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, extensions: extensions);
}
