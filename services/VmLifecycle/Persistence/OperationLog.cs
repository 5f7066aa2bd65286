using Dapper;
using Npgsql;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>Operations asked with an operation id (<c>vm_lifecycle.operations</c>): the memory that makes a repeat a no-op.</summary>
public sealed class OperationLog(NpgsqlDataSource dataSource)
{
    /// <returns>Null when this call begins the operation; the earlier record when the id was used before.</returns>
    public async Task<LoggedOperation?> TryBeginAsync(Guid operationId, Guid vmId, string operation, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.operations (operation_id, vm_id, operation, started_at) VALUES (@operationId, @vmId, @operation, @at)
            ON CONFLICT (operation_id) DO NOTHING
            """, new { operationId, vmId, operation, at });
        if (inserted == 1) return null;
        return await connection.QuerySingleAsync<LoggedOperation>(
            "SELECT vm_id AS VmId, operation AS Operation, outcome AS Outcome, message AS Message FROM vm_lifecycle.operations WHERE operation_id = @operationId", new { operationId });
    }

    public async Task CompleteAsync(Guid operationId, string outcome, string message, DateTimeOffset at)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE vm_lifecycle.operations SET outcome = @outcome, message = @message, completed_at = @at WHERE operation_id = @operationId",
            new { operationId, outcome, message, at });
    }
}

/// <summary>An operation as logged: which VM and kind, and how it ended (null while running).</summary>
public sealed record LoggedOperation(Guid VmId, string Operation, string? Outcome, string Message);
