using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CloudBus.ServiceDefaults.Database;

public static class DatabaseRegistration
{
    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> for the process, and the migration runner for the
    /// service's own schema. Connections are named after the instance, so <c>pg_stat_activity</c>
    /// shows who holds what. A connection string with several hosts gets a multi-host data source
    /// that connects to the primary only (<see cref="FailoverConnectionString"/>).
    /// </summary>
    public static IServiceCollection AddCloudBusDatabase(
        this IServiceCollection services, ServiceIdentity identity, ServiceDefinition definition)
    {
        DapperConventions.Register();
        services.AddOptions<PostgresOptions>()
            .BindConfiguration(PostgresOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PostgresOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(FailoverConnectionString.Complete(options.ConnectionString, identity.InstanceId));
            // Asked for each new physical connection: a rotated password file takes effect without a restart.
            if (!string.IsNullOrWhiteSpace(options.PasswordFile))
                builder.UsePasswordProvider(_ => options.ReadPassword(), (_, _) => ValueTask.FromResult(options.ReadPassword()));
            return builder.Build();
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PostgresOptions>>().Value;
            var scripts = MigrationScript.LoadEmbedded(definition.Assembly);
            if (string.IsNullOrWhiteSpace(options.MigrationUsername))
                return new MigrationRunner(provider.GetRequiredService<NpgsqlDataSource>(), definition.Schema, scripts);
            // Migrations on a connection of their own, as the migration role; then the service's role gets its rows.
            var connectionString = new NpgsqlConnectionStringBuilder(FailoverConnectionString.Complete(options.ConnectionString, identity.InstanceId + "-migrations"))
            {
                Username = options.MigrationUsername, Pooling = false,
            };
            var builder = new NpgsqlDataSourceBuilder(connectionString.ConnectionString);
            if (!string.IsNullOrWhiteSpace(options.MigrationPasswordFile))
                builder.UsePasswordProvider(_ => options.ReadMigrationPassword(), (_, _) => ValueTask.FromResult(options.ReadMigrationPassword()));
            return new MigrationRunner(builder.Build(), definition.Schema, scripts, runtimeRole: options.Username);
        });
        return services;
    }
}
