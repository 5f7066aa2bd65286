using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;

namespace CloudBus.VmLifecycle.Operations;

/// <summary>
/// The capacity a migration holds on its target before the VM moves there: reserved together with
/// the journal's note of it, and given back together with the note's removal, so an instance that
/// dies in between leaves the settler exactly what to give back, and nothing is given back twice.
/// </summary>
public sealed class MigrationTargets(UnitsOfWork units, HostReservations reservations)
{
    public async Task<(string? HostId, string Why)> ReserveAsync(VmOperation operation, VmRecord vm, PlacementRequest placement)
    {
        await using var work = await units.BeginAsync(CancellationToken.None);
        var (host, why) = await reservations.ReserveAsync(work, vm, placement);
        var hostId = host?.HostId;
        if (hostId is not null) await OperationJournal.SetTargetAsync(work, operation.OperationId, hostId);
        await work.CommitAsync(CancellationToken.None);
        return (hostId, why);
    }

    public async Task ReleaseAsync(VmOperation operation, string hostId, VmRecord vm)
    {
        await using var work = await units.BeginAsync(CancellationToken.None);
        await HostStore.ReleaseAsync(work, hostId, vm);
        await OperationJournal.SetTargetAsync(work, operation.OperationId, targetHostId: null);
        await work.CommitAsync(CancellationToken.None);
    }
}
