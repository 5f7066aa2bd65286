using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Operations;

namespace CloudBus.VmLifecycle.Api;

/// <summary>Maps operation outcomes to HTTP problem details, one place for every endpoint.</summary>
public static class ApiResults
{
    public static IResult From(VmOperationResult result) => result.Outcome switch
    {
        VmCommandOutcome.Done => Results.Ok(VmView.From(result.Vm!)),
        VmCommandOutcome.NotFound => Results.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Unknown VM"),
        VmCommandOutcome.Refused => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Illegal state transition"),
        VmCommandOutcome.NoCapacity => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "No host can take this VM"),
        _ => Results.Problem(result.Message, statusCode: StatusCodes.Status502BadGateway, title: "Host agent failed"),
    };

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "Invalid request");
}
