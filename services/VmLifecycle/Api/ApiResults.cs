using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.OpenApi;
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

    /// <summary>What <see cref="From"/> can answer, for the route's description: the VM, or why not.</summary>
    public static RouteHandlerBuilder AnswersVmOutcome(this RouteHandlerBuilder route, string what) =>
        route.Answers<VmView>(what)
            .AnswersUnknownVm()
            .AnswersProblem(StatusCodes.Status409Conflict, "Refused, nothing changed: the VM's state does not allow this (detail says which and why), or no host can take the VM.")
            .AnswersProblem(StatusCodes.Status502BadGateway, "The host agent failed or did not answer; the VM is left in a settled state.");

    public static RouteHandlerBuilder AnswersUnknownVm(this RouteHandlerBuilder route) =>
        route.AnswersProblem(StatusCodes.Status404NotFound, "No VM with this id.");

    public static RouteHandlerBuilder AnswersUnknownHost(this RouteHandlerBuilder route) =>
        route.AnswersProblem(StatusCodes.Status404NotFound, "No host with this id is registered.");

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "Invalid request");
}
