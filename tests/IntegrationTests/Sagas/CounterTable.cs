using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Sagas;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>The test saga's table, created the way a service's migration would create it.</summary>
public static class CounterTable
{
    public const string Schema = "saga_test";
    public const string Name = Schema + ".counters";

    public static readonly PostgresSagaTable<CounterState> Table = new(Name);

    private static readonly MigrationScript Create = new(1, "0001_create_counters", """
        CREATE TABLE saga_test.counters (
            correlation_id uuid        PRIMARY KEY,
            current_state  text        NOT NULL,
            version        integer     NOT NULL,
            data           jsonb       NOT NULL,
            created_at     timestamptz NOT NULL DEFAULT now(),
            updated_at     timestamptz NOT NULL);
        """);

    public static Task MigrateAsync(Npgsql.NpgsqlDataSource dataSource) =>
        new MigrationRunner(dataSource, Schema, [Create]).MigrateAsync(CancellationToken.None);
}
