using System.ComponentModel.DataAnnotations;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>Where the database is. Bound from the <c>Postgres</c> section (env: <c>Postgres__ConnectionString</c>).</summary>
public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    /// <value>An Npgsql connection string. Required. Each service keeps its tables in its own schema.</value>
    [Required(ErrorMessage = "Postgres:ConnectionString is required (env Postgres__ConnectionString).")]
    public string ConnectionString { get; set; } = "";
}
