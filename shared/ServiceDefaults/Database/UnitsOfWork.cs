using CloudBus.ServiceDefaults.Scheduling;
using Npgsql;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>The one way a service begins a transaction that changes state: a <see cref="UnitOfWork"/> on its database and outbox.</summary>
public sealed class UnitsOfWork(NpgsqlDataSource dataSource, ScheduledMessages outbox)
{
    public Task<UnitOfWork> BeginAsync(CancellationToken cancellationToken) => UnitOfWork.BeginAsync(dataSource, outbox, cancellationToken);
}
