using System.ComponentModel.DataAnnotations;
using CloudBus.Security;
using Npgsql;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>Where the database is. Bound from the <c>Postgres</c> section (env: <c>Postgres__ConnectionString</c>).</summary>
public sealed partial class PostgresOptions : IValidatableObject
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

    /// <value>
    /// A role of its own for the migrations (it owns the service's schema), so that the service's
    /// own role (the connection string's user) may only read and write rows of its schema: no DDL,
    /// no other service's schema. Optional: without it the service's role migrates and owns its schema.
    /// </value>
    public string? MigrationUsername { get; set; }

    /// <value>The file holding <see cref="MigrationUsername"/>'s password (mode 600), when it needs one.</value>
    public string? MigrationPasswordFile { get; set; }

    /// <summary>The migration role's password (on validated options).</summary>
    public string ReadMigrationPassword() => SecretFile.Read(MigrationPasswordFile!, "Postgres:MigrationPasswordFile");

    /// <summary>The service's own role: the connection string's user.</summary>
    public string Username => new NpgsqlConnectionStringBuilder(ConnectionString).Username ?? "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var problems = FailoverConnectionString.Problems(ConnectionString).ToList();
        if (problems.Count == 0 && !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(ConnectionString).Password))
            problems.Add("Postgres:ConnectionString (env Postgres__ConnectionString) holds a password: secrets come from files only. "
                + "Put the password in a file (mode 600), name it in Postgres:PasswordFile and take it out of the connection string.");
        if (!string.IsNullOrWhiteSpace(PasswordFile) && SecretFile.Problem(PasswordFile, "Postgres:PasswordFile (env Postgres__PasswordFile)") is { } problem)
            problems.Add(problem);
        if (!string.IsNullOrWhiteSpace(MigrationPasswordFile)
            && SecretFile.Problem(MigrationPasswordFile, "Postgres:MigrationPasswordFile (env Postgres__MigrationPasswordFile)") is { } migrationProblem)
            problems.Add(migrationProblem);
        if (!string.IsNullOrWhiteSpace(MigrationUsername) && problems.Count == 0)
        {
            // Both names go into GRANT statements: plain role names only.
            foreach (var (setting, role) in new[] { ("Postgres:MigrationUsername", MigrationUsername), ("the user of Postgres:ConnectionString", Username) })
                if (!RoleName().IsMatch(role))
                    problems.Add($"{setting} must be a plain role name (lower-case letters, digits, '_'), not '{role}'.");
            if (problems.Count == 0 && MigrationUsername == Username)
                problems.Add("Postgres:MigrationUsername is the connection string's user: give the migrations a role of their own, or leave it out.");
        }
        return problems.Select(problem => new ValidationResult(problem));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex RoleName();
}
