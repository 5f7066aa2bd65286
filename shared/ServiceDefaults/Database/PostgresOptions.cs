using System.ComponentModel.DataAnnotations;
using CloudBus.Security;
using Npgsql;

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

    /// <value>
    /// The file holding the database password (mode 600), read whenever a new connection is opened,
    /// so a rotated password is used without a restart. Optional: a server that needs no password
    /// (peer or certificate authentication) needs no file. Never a password in the connection string.
    /// </value>
    public string? PasswordFile { get; set; }

    /// <summary>The password, read from <see cref="PasswordFile"/> (on validated options).</summary>
    public string ReadPassword() => SecretFile.Read(PasswordFile!, "Postgres:PasswordFile");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var problems = FailoverConnectionString.Problems(ConnectionString).ToList();
        if (problems.Count == 0 && !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(ConnectionString).Password))
            problems.Add("Postgres:ConnectionString (env Postgres__ConnectionString) holds a password: secrets come from files only. "
                + "Put the password in a file (mode 600), name it in Postgres:PasswordFile and take it out of the connection string.");
        if (!string.IsNullOrWhiteSpace(PasswordFile) && SecretFile.Problem(PasswordFile, "Postgres:PasswordFile (env Postgres__PasswordFile)") is { } problem)
            problems.Add(problem);
        return problems.Select(problem => new ValidationResult(problem));
    }
}
