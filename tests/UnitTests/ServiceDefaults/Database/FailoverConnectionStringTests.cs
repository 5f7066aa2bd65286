using CloudBus.ServiceDefaults.Database;
using Npgsql;

namespace CloudBus.UnitTests.ServiceDefaults.Database;

public sealed class FailoverConnectionStringTests
{
    private const string Cluster = "Host=db1:5432,db2:5432,db3:5432;Username=cloudbus;Database=cloudbus";

    [Fact]
    public void A_cluster_connects_to_the_primary_and_rechecks_hosts_every_two_seconds_unless_told_otherwise()
    {
        var completed = new NpgsqlConnectionStringBuilder(FailoverConnectionString.Complete(Cluster, "vm-lifecycle-1"));

        Assert.Equal("primary", completed.TargetSessionAttributes);
        Assert.Equal(FailoverConnectionString.DefaultHostRecheckSeconds, completed.HostRecheckSeconds);
        Assert.Equal("vm-lifecycle-1", completed.ApplicationName);
        Assert.Equal("db1:5432,db2:5432,db3:5432", completed.Host);
    }

    [Theory]
    [InlineData("read-write", 10)]
    [InlineData("primary", 1)]
    public void What_the_operator_set_for_a_cluster_is_kept(string attributes, int recheckSeconds)
    {
        var completed = new NpgsqlConnectionStringBuilder(FailoverConnectionString.Complete(
            $"{Cluster};Target Session Attributes={attributes};Host Recheck Seconds={recheckSeconds}", "x"));

        Assert.Equal((attributes, recheckSeconds), (completed.TargetSessionAttributes, completed.HostRecheckSeconds));
    }

    [Fact]
    public void Npgsql_builds_a_multi_host_data_source_honouring_the_completed_string()
    {
        using var dataSource = new NpgsqlDataSourceBuilder(FailoverConnectionString.Complete(Cluster, "x")).Build();

        Assert.IsType<NpgsqlMultiHostDataSource>(dataSource);
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.Equal(("primary", 2), (settings.TargetSessionAttributes, settings.HostRecheckSeconds));
    }

    [Fact]
    public void A_single_host_is_used_as_given()
    {
        var completed = new NpgsqlConnectionStringBuilder(FailoverConnectionString.Complete("Host=db;Port=5433;Username=cloudbus", "x"));

        Assert.Null(completed.TargetSessionAttributes);
        Assert.DoesNotContain("Host Recheck Seconds", completed.Keys.Cast<string>());
        Assert.Empty(FailoverConnectionString.Problems("Host=db;Port=5433;Username=cloudbus"));
    }

    [Theory]
    [InlineData("any")]
    [InlineData("standby")]
    [InlineData("prefer-primary")]
    [InlineData("prefer-standby")]
    [InlineData("read-only")]
    public void A_cluster_that_may_pick_a_standby_is_refused_with_the_setting_named(string attributes)
    {
        var problem = Assert.Single(FailoverConnectionString.Problems($"{Cluster};Target Session Attributes={attributes}"));

        Assert.Contains($"Target Session Attributes={attributes}", problem);
        Assert.Contains("Postgres__ConnectionString", problem);
    }

    [Theory]
    [InlineData("Host=db;Target Session Attributes=primary", "single host")]
    [InlineData("Host=db;Port=not-a-port", "not a valid Npgsql connection string")]
    [InlineData("Host=db;No Such Setting=1", "not a valid Npgsql connection string")]
    public void A_connection_string_npgsql_would_refuse_is_refused_at_start_with_the_setting_named(string connectionString, string expected)
    {
        var problem = Assert.Single(FailoverConnectionString.Problems(connectionString));

        Assert.Contains(expected, problem);
        Assert.Contains("Postgres__ConnectionString", problem);
    }
}
