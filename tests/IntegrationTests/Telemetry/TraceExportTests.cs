using System.Net.Http.Json;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Telemetry;

/// <summary>
/// A service exports traces and metrics over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set: its
/// own HTTP spans, its Npgsql spans and its MassTransit publish spans, under its service name.
/// </summary>
public sealed class TraceExportTests : IAsyncLifetime
{
    private PrivateServers _servers = null!;

    public async Task InitializeAsync() => _servers = await PrivateServers.CreateAsync();

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task Service_exports_http_database_and_bus_spans_over_otlp()
    {
        await using var receiver = new OtlpReceiver();
        var environment = _servers.ServiceEnvironment(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "500"));
        await using var service = ServiceProcess.Start("VmLifecycle", environment);
        await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        using var http = TestTokens.Client(TimeSpan.FromSeconds(30));
        using var response = await http.PostAsJsonAsync(new Uri(service.BaseAddress, "hosts"), new
        {
            hostId = "traced-host", agentAddress = "http://127.0.0.1:9/", cluster = "c", cpuCores = 4, memoryMib = 4096, tags = Array.Empty<string>(),
        });
        await ApiAssert.SucceededAsync(response);

        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received("/v1/traces", "vm-lifecycle", "POST /hosts")),
            TimeSpan.FromSeconds(30), "the HTTP span of POST /hosts");
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received("/v1/traces", "INSERT INTO vm_lifecycle.hosts")),
            TimeSpan.FromSeconds(30), "the Npgsql span of the insert");
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received("/v1/traces", "HostRegistered")),
            TimeSpan.FromSeconds(30), "the MassTransit span of publishing HostRegistered");
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received("/v1/metrics", "vm-lifecycle")),
            TimeSpan.FromSeconds(30), "a metrics export");
    }
}
