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
        services.AddSingleton(provider => new MigrationRunner(
            provider.GetRequiredService<NpgsqlDataSource>(), definition.Schema, MigrationScript.LoadEmbedded(definition.Assembly)));
        return services;
    }
}
