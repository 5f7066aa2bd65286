using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Hosting;

/// <summary>A wrong setting stops a service at start with a message that names the setting.</summary>
public sealed class ServiceStartupTests : IAsyncLifetime
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private PrivateServers _servers = null!;

    public async Task InitializeAsync() => _servers = await PrivateServers.CreateAsync();

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task Missing_broker_password_file_stops_the_service_and_names_the_setting()
    {
        var environment = _servers.ServiceEnvironment(("RabbitMq__PasswordFile", ""));
        await using var service = ServiceProcess.Start("VmLifecycle", environment);

        Assert.NotEqual(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.Contains("RabbitMq:PasswordFile is required", service.RecentOutput);
    }

    [Fact]
    public async Task A_password_given_as_a_value_stops_the_service_and_says_to_use_a_file_without_showing_it()
    {
        var environment = _servers.ServiceEnvironment(("RabbitMq__Password", "a-password-in-the-environment"));
        await using var service = ServiceProcess.Start("VmLifecycle", environment);

        Assert.NotEqual(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.Contains("RabbitMq:Password (env RabbitMq__Password) is not read: secrets come from files only", service.RecentOutput);
        Assert.DoesNotContain("a-password-in-the-environment", service.RecentOutput);
    }

    [Fact]
    public async Task A_broker_password_file_others_may_read_or_holding_a_placeholder_stops_the_service()
    {
        var loose = TestSecrets.NewFile(TestServers.RabbitPassword);
        var placeholder = TestSecrets.NewFile("change-me");
        try
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(loose, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            await using var readable = ServiceProcess.Start("VmLifecycle", _servers.ServiceEnvironment(("RabbitMq__PasswordFile", loose)));
            await using var placeholding = ServiceProcess.Start("VmLifecycle", _servers.ServiceEnvironment(("RabbitMq__PasswordFile", placeholder)));

            Assert.NotEqual(0, await readable.WaitForExitAsync(ExitTimeout));
            Assert.Contains($"may be read by other users (mode 604); make it 600 (chmod 600 '{loose}')", readable.RecentOutput);
            Assert.NotEqual(0, await placeholding.WaitForExitAsync(ExitTimeout));
            Assert.Contains("holds a placeholder, not a secret", placeholding.RecentOutput);
        }
        finally
        {
            TestSecrets.Delete(loose);
            TestSecrets.Delete(placeholder);
        }
    }

    [Fact]
    public async Task A_bad_cluster_node_stops_the_service_and_names_the_setting_and_the_entry()
    {
        var environment = _servers.ServiceEnvironment(("RabbitMq__ClusterNodes", "127.0.0.1:5672,rabbit-2:none"));
        await using var service = ServiceProcess.Start("VmLifecycle", environment);

        Assert.NotEqual(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.Contains("RabbitMq:ClusterNodes (env RabbitMq__ClusterNodes) has a bad entry 'rabbit-2:none'", service.RecentOutput);
    }

    [Fact]
    public async Task A_queue_left_classic_stops_a_service_told_to_use_quorum_queues_and_says_which_queue_and_what_to_do()
    {
        await _servers.VirtualHost.DeclareClassicQueueAsync("vm-lifecycle-commands");
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var service = ServiceProcess.Start("VmLifecycle", _servers.ServiceEnvironment(("RabbitMq__QueueType", "Quorum")));

        Assert.NotEqual(0, await service.WaitForExitAsync(ExitTimeout));
        // At once, not after MassTransit's start timeout (60 s) of retrying what cannot succeed.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(45), $"stopped after {started.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("RabbitMQ refused queue 'vm-lifecycle-commands': it exists as a classic queue, and this service declares it as a quorum queue",
            service.RecentOutput);
        Assert.Contains("or set RabbitMq__QueueType=Classic", service.RecentOutput);
    }

    /// <summary>
    /// Seen in the chaos benchmark: an instance started while the PostgreSQL primary was failing
    /// over crashed on its migrations (exit 134) and was only running again because the chaos
    /// restarted it. A database that is away for a moment at start is waited for, and said so.
    /// </summary>
    [Fact]
    public async Task A_service_started_while_the_database_is_away_waits_for_it_and_then_runs()
    {
        await _servers.Database.SuspendAsync();
        await using var service = ServiceProcess.Start("VmLifecycle", _servers.ServiceEnvironment());
        await Eventually.HoldsAsync(() => Task.FromResult(service.RecentOutput.Contains("Database not reachable at start")),
            TimeSpan.FromSeconds(60), "the service saying it waits for the database");
        Assert.False(service.HasExited, service.RecentOutput);

        await _servers.Database.ResumeAsync();
        await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Ping_timeout_longer_than_the_interval_stops_host_monitor_and_names_both_settings()
    {
        var environment = _servers.ServiceEnvironment(("HostMonitor__PingInterval", "00:00:01"), ("HostMonitor__PingTimeout", "00:00:05"));
        await using var service = ServiceProcess.Start("HostMonitor", environment);

        Assert.NotEqual(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.Contains("HostMonitor:PingTimeout must be positive and shorter than HostMonitor:PingInterval", service.RecentOutput);
    }

    [Fact]
    public async Task Agent_with_a_self_fence_time_of_zero_refuses_to_start()
    {
        await using var agent = ServiceProcess.Start("HostAgent", new Dictionary<string, string> { ["Simulated__SelfFenceAfter"] = "00:00:00" });

        Assert.NotEqual(0, await agent.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Simulated:SelfFenceAfter", agent.RecentOutput);
    }

    [Fact]
    public async Task Ha_orchestrator_told_to_self_fence_later_than_heartbeats_go_stale_refuses_to_start_and_names_both()
    {
        var environment = _servers.ServiceEnvironment(
            ("Fencing__BmcPasswordFile", "/nonexistent/bmc-password"), ("Ha__SelfFenceAfter", "00:00:12"), ("Ha__HeartbeatStaleAfter", "00:00:10"));
        await using var service = ServiceProcess.Start("HaOrchestrator", environment);

        Assert.NotEqual(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Ha:SelfFenceAfter must be shorter than Ha:HeartbeatStaleAfter", service.RecentOutput);
    }

    [Fact]
    public async Task Ha_orchestrator_without_a_bmc_password_refuses_to_start_and_names_the_settings()
    {
        await using var service = ServiceProcess.Start("HaOrchestrator", _servers.ServiceEnvironment());

        Assert.NotEqual(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.Contains("Fencing:BmcPasswordFile", service.RecentOutput);
    }
}
