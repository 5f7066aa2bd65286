using CloudBus.ServiceDefaults.Http;
using CloudBus.ServiceDefaults.OpenApi;
using CloudBus.ServiceDefaults.Security;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Operations;
using Microsoft.AspNetCore.Mvc;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.VmLifecycle.Api;

/// <summary>VMs: create, list, get, start, stop, reboot, migrate, destroy, set HA.</summary>
public static class VmEndpoints
{
    public static void MapVmEndpoints(this IEndpointRouteBuilder app)
    {
        var vms = app.MapGroup("/vms");
        vms.MapPost("/", CreateAsync).ForOperators()
            .Answers<VmView>(StatusCodes.Status201Created, "The VM, created and placed (Location names it).")
            .Answers<VmView>("A repeat of a create with the same Idempotency-Key and settings: the VM made the first time.")
            .AnswersValidationProblem()
            .AnswersProblem(StatusCodes.Status409Conflict, "The Idempotency-Key was used for a VM with other settings, or no host can take the VM.")
            .AnswersProblem(StatusCodes.Status502BadGateway, "The host agent failed or did not answer; the VM is left in a settled state.");
        vms.MapGet("/", async (int? limit, int? offset, HttpRequest request, VmStore store, CancellationToken ct) =>
            Paging.List(request, limit, offset, (await store.ListAsync(ct)).Select(VmView.From))).ForViewers()
            .AnswersPage<VmView>("Every VM, destroyed ones included.");
        vms.MapGet("/{vmId:guid}", async (Guid vmId, VmStore store, VmDeviceStore devices, CancellationToken ct) =>
            await store.GetAsync(vmId, ct) is { } vm
                ? Results.Ok(VmView.WithDevices(vm, await devices.HardwareAsync(vmId, ct), await devices.ReportedAsync(vmId, ct)))
                : ApiResults.From(VmOperationResult.NotFound(vmId))).ForViewers()
            .Answers<VmView>("The VM with its hardware and the devices its host last reported.").AnswersUnknownVm();
        vms.MapPost("/{vmId:guid}/start", async (Guid vmId, StartVmRequest? request, VmPowerOperations operations, CancellationToken ct) =>
        {
            if (request?.HostId is { } hostId)
            {
                var validation = new RequestValidation().RequireId(hostId, "hostId");
                if (!validation.IsValid) return ApiResults.Invalid(validation.Errors);
            }
            return ApiResults.From(await operations.StartAsync(vmId, request?.HostId, request?.OperationId, ct));
        }).ForOperators().AnswersVmOutcome("The VM, started (or already running).").AnswersValidationProblem();
        vms.MapPost("/{vmId:guid}/stop", async (Guid vmId, StopVmRequest? request, VmPowerOperations operations, CancellationToken ct) =>
            ApiResults.From(await operations.StopAsync(vmId, request?.Force ?? false, request?.OperationId, ct))).ForOperators()
            .AnswersVmOutcome("The VM, stopped (or already stopped).").AnswersValidationProblem();
        vms.MapPost("/{vmId:guid}/reboot", async (Guid vmId, OperationRequest? request, VmPowerOperations operations, CancellationToken ct) =>
            ApiResults.From(await operations.RebootAsync(vmId, request?.OperationId, ct))).ForOperators()
            .AnswersVmOutcome("The VM, rebooted on its host.").AnswersValidationProblem();
        vms.MapPost("/{vmId:guid}/destroy", async (Guid vmId, OperationRequest? request, VmDestruction destruction, CancellationToken ct) =>
            ApiResults.From(await destruction.DestroyAsync(vmId, request?.OperationId, ct))).ForOperators()
            .AnswersVmOutcome("The VM, destroyed (stopped first if it ran).").AnswersValidationProblem();
        vms.MapPost("/{vmId:guid}/migrate", async (Guid vmId, MigrateVmRequest? request, VmMigration migration, CancellationToken ct) =>
        {
            if (request?.TargetHostId is { } target && new RequestValidation().RequireId(target, "targetHostId") is { IsValid: false } invalid)
                return ApiResults.Invalid(invalid.Errors);
            return ApiResults.From(await migration.MigrateAsync(vmId, request?.TargetHostId, request?.OperationId, ct));
        }).ForOperators().AnswersVmOutcome("The VM, running on its new host.").AnswersValidationProblem();
        vms.MapPut("/{vmId:guid}/ha", SetHaAsync).ForOperators()
            .Answers<VmView>("The VM with its new HA level and restart priority.").AnswersValidationProblem().AnswersUnknownVm();
    }

    private static async Task<IResult> SetHaAsync(Guid vmId, SetHaRequest request, VmStore store, TimeProvider clock, CancellationToken ct)
    {
        var validation = request.Validate();
        if (!validation.IsValid) return ApiResults.Invalid(validation.Errors);
        return await store.SetHaAsync(vmId, request.ParsedHaLevel, request.RestartPriority, clock.GetUtcNow(), ct) is { } vm
            ? Results.Ok(VmView.From(vm))
            : ApiResults.From(VmOperationResult.NotFound(vmId));
    }

    /// <summary>
    /// Creates a VM. With an <c>Idempotency-Key</c> header a retried create makes one VM: the repeat
    /// answers 200 with the VM made the first time (201 the first time), or 409 if it asks for other settings.
    /// </summary>
    private static async Task<IResult> CreateAsync(
        CreateVmRequest request, [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey, VmCreation creation, CancellationToken ct)
    {
        var validation = request.Validate().RequireText(idempotencyKey, IdempotencyKey.Header, IdempotencyKey.MaxLength);
        if (!validation.IsValid) return ApiResults.Invalid(validation.Errors);
        var vmId = idempotencyKey is null ? (Guid?)null : VmCreation.IdFor(idempotencyKey);
        var (created, isNew) = await creation.CreateAsync(request.ToNewVm(), vmId, ct);
        if (created.Outcome != VmCommandOutcome.Done) return ApiResults.From(created);
        return isNew ? Results.Created($"/vms/{created.Vm!.VmId}", VmView.From(created.Vm)) : Results.Ok(VmView.From(created.Vm!));
    }
}
