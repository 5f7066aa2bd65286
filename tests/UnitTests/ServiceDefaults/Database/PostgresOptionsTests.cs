using System.ComponentModel.DataAnnotations;
using CloudBus.Security;
using CloudBus.ServiceDefaults.Database;

namespace CloudBus.UnitTests.ServiceDefaults.Database;

/// <summary>The database password comes from a file only: never from the connection string.</summary>
public sealed class PostgresOptionsTests : IDisposable
{
    private const string Server = "Host=127.0.0.1;Port=5432;Username=cloudbus;Database=cloudbus";
    private readonly string _folder = Directory.CreateTempSubdirectory("cloudbus-postgres-options-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static List<string> Problems(PostgresOptions options) =>
        options.Validate(new ValidationContext(options)).Select(result => result.ErrorMessage!).ToList();

    [Fact]
    public void A_password_in_the_connection_string_is_refused_without_showing_it()
    {
        var problem = Assert.Single(Problems(new PostgresOptions { ConnectionString = $"{Server};Password=hunter2-db" }));

        Assert.Contains("Postgres:PasswordFile", problem);
        Assert.DoesNotContain("hunter2-db", problem);
    }

    [Theory]
    [InlineData("cloudbus_migrator", null)]
    [InlineData("cloudbus", "give the migrations a role of their own")]
    [InlineData("migrator\"; DROP ROLE x; --", "must be a plain role name")]
    public void A_migration_role_must_be_another_plain_role(string migrationUsername, string? expected)
    {
        var problems = Problems(new PostgresOptions { ConnectionString = Server, MigrationUsername = migrationUsername });

        if (expected is null) Assert.Empty(problems);
        else Assert.Contains(expected, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_is_read_from_its_file()
    {
        var file = Path.Combine(_folder, "password");
        SecretFile.Write(file, "a-database-password");
        var options = new PostgresOptions { ConnectionString = Server, PasswordFile = file };

        Assert.Empty(Problems(options));
        Assert.Equal("a-database-password", options.ReadPassword());
    }

    [Fact]
    public void A_missing_password_file_is_refused_naming_the_setting()
    {
        var problem = Assert.Single(Problems(new PostgresOptions { ConnectionString = Server, PasswordFile = "/nonexistent/db-password" }));

        Assert.Contains("Postgres:PasswordFile (env Postgres__PasswordFile): the secret file '/nonexistent/db-password' does not exist", problem);
    }

    [Fact]
    public void No_password_file_is_fine_for_a_server_that_asks_for_none()
    {
        Assert.Empty(Problems(new PostgresOptions { ConnectionString = Server }));
    }
}
