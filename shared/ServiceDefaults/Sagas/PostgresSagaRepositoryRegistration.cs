using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.ServiceDefaults.Sagas;

public static class PostgresSagaRepositoryRegistration
{
    /// <summary>
    /// Keeps this saga's instances in <paramref name="table"/> (<c>schema.table</c>, created by the
    /// service's own migration; the DDL is on <see cref="PostgresSagaTable{TSaga}"/>), through the
    /// process's <c>NpgsqlDataSource</c>, with optimistic concurrency on the <c>version</c> column.
    /// Pair it with a retry on the saga's endpoint that handles <see cref="ConcurrencyException"/>.
    /// </summary>
    /// <param name="currentState">Reads the state for the <c>current_state</c> column; by default the saga's <c>CurrentState</c> property.</param>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator, string table, Func<TSaga, string?>? currentState = null)
        where TSaga : class, ISagaVersion
    {
        // Built here, not on first use, so a bad table name or a saga without a readable state stops the start.
        var mapping = new PostgresSagaTable<TSaga>(table, currentState);
        configurator.Repository(repository =>
        {
            repository.AddSingleton(mapping);
            repository.RegisterSagaRepository<TSaga, PostgresSagaSession<TSaga>,
                SagaConsumeContextFactory<PostgresSagaSession<TSaga>, TSaga>, PostgresSagaRepositoryContextFactory<TSaga>>();
        });
        return configurator;
    }
}
