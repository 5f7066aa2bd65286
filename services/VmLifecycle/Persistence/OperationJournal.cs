using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Operations;
using Dapper;
using Npgsql;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>
/// Every VM operation in <c>vm_lifecycle.operations</c>: begun (with the instance running it) in
/// the transaction that moves the VM into its transitional state, completed in the one that moves
/// it out. An operation without an outcome whose instance is gone is one to settle; a repeated id
/// answers with the first outcome.
/// </summary>
public sealed class OperationJournal(NpgsqlDataSource dataSource)
{
    private const string SelectOperations = """
        SELECT operation_id AS OperationId, vm_id AS VmId, operation AS Kind, operating_instance AS OperatingInstance, outcome AS Outcome,
               message AS Message, started_at AS StartedAt, target_host_id AS TargetHostId
        FROM vm_lifecycle.operations
        """;

    public async Task<JournaledOperation?> FindAsync(Guid operationId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JournaledOperation>(SelectOperations + " WHERE operation_id = @operationId", new { operationId });
    }

    /// <summary>Operations begun and not completed, oldest first.</summary>
    public async Task<IReadOnlyList<JournaledOperation>> InFlightAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<JournaledOperation>(SelectOperations + " WHERE completed_at IS NULL ORDER BY started_at")).ToList();
    }

    /// <returns>False when the id was taken meanwhile (a concurrent repeat): the caller rolls back.</returns>
    public static async Task<bool> BeginAsync(UnitOfWork work, VmOperation operation, DateTimeOffset at) =>
        await work.Connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.operations (operation_id, vm_id, operation, operating_instance, started_at)
            VALUES (@OperationId, @VmId, @Kind, @OperatingInstance, @at)
            ON CONFLICT (operation_id) DO NOTHING
            """, new { operation.OperationId, operation.VmId, Kind = operation.Kind.ToString(), operation.OperatingInstance, at }, work.Transaction) == 1;

    /// <summary>An operation refused before it began: recorded as ended, so a repeat answers the same.</summary>
    public static Task RecordEndedAsync(UnitOfWork work, VmOperation operation, VmOperationResult result, DateTimeOffset at) =>
        work.Connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.operations (operation_id, vm_id, operation, operating_instance, started_at, outcome, message, completed_at)
            VALUES (@OperationId, @VmId, @Kind, @OperatingInstance, @at, @outcome, @Message, @at)
            ON CONFLICT (operation_id) DO NOTHING
            """, new { operation.OperationId, operation.VmId, Kind = operation.Kind.ToString(), operation.OperatingInstance, at, outcome = result.Outcome.ToString(), result.Message },
            work.Transaction);

    /// <returns>False when it had already been completed (by the instance that settled it).</returns>
    public static async Task<bool> CompleteAsync(UnitOfWork work, Guid operationId, VmOperationResult result, DateTimeOffset at) =>
        await work.Connection.ExecuteAsync("""
            UPDATE vm_lifecycle.operations SET outcome = @outcome, message = @Message, completed_at = @at
            WHERE operation_id = @operationId AND completed_at IS NULL
            """, new { operationId, outcome = result.Outcome.ToString(), result.Message, at }, work.Transaction) == 1;

    /// <summary>A migration's target while it holds capacity there (null once given back): settling an interrupted migration gives it back.</summary>
    public static Task SetTargetAsync(UnitOfWork work, Guid operationId, string? targetHostId) =>
        work.Connection.ExecuteAsync("UPDATE vm_lifecycle.operations SET target_host_id = @targetHostId WHERE operation_id = @operationId",
            new { operationId, targetHostId }, work.Transaction);
}

/// <summary>An operation as journaled; <see cref="Outcome"/> is null while it runs (or since its instance died).</summary>
public sealed record JournaledOperation(
    Guid OperationId, Guid VmId, VmOperationKind Kind, string? OperatingInstance, VmCommandOutcome? Outcome, string Message, DateTimeOffset StartedAt, string? TargetHostId);
