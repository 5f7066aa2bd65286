namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>An <see cref="HaStack"/> whose control-plane services export their traces to an in-test OTLP receiver.</summary>
public sealed class TracedHaStack : HaStack
{
    public TracedHaStack() : base(fleetSize: 4)
    {
    }

    public OtlpReceiver Receiver { get; } = new();

    protected override IEnumerable<(string Key, string Value)> MoreSettings =>
    [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", Receiver.Endpoint),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ("OTEL_BSP_SCHEDULE_DELAY", "200"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
