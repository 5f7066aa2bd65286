using System.ComponentModel.DataAnnotations;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>Where the database is. Bound from the <c>Postgres</c> section (env: <c>Postgres__ConnectionString</c>).</summary>
public sealed class PostgresOptions : IValidatableObject
{
    public const string Section = "Postgres";

    /// <value>
    /// An Npgsql connection string. Required. Each service keeps its tables in its own schema.
    /// Several hosts make it a failover cluster (see <see cref="FailoverConnectionString"/>).
    /// </value>
    [Required(ErrorMessage = "Postgres:ConnectionString is required (env Postgres__ConnectionString).")]
    public string ConnectionString { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        FailoverConnectionString.Problems(ConnectionString).Select(problem => new ValidationResult(problem, [nameof(ConnectionString)]));
}
