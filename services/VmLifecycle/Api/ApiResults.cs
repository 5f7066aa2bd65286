using CloudBus.VmLifecycle.Operations;

namespace CloudBus.VmLifecycle.Api;

/// <summary>Maps operation outcomes to HTTP problem details, one place for every endpoint.</summary>
public static class ApiResults
{
    public static IResult From(VmOperationResult result) => result.Outcome switch
    {
        VmOutcome.Done => Results.Ok(VmView.From(result.Vm!)),
        VmOutcome.NotFound => Results.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Unknown VM"),
        VmOutcome.Refused => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Illegal state transition"),
        VmOutcome.NoCapacity => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "No host can take this VM"),
        _ => Results.Problem(result.Message, statusCode: StatusCodes.Status502BadGateway, title: "Host agent failed"),
    };

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "Invalid request");
}
