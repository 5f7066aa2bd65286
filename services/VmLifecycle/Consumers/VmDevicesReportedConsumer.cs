using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Operations;
using MassTransit;

namespace CloudBus.VmLifecycle.Consumers;

/// <summary>Sync found a VM's devices changed on its host (a hot-plug): recorded for the VM's current run.</summary>
public sealed class VmDevicesReportedConsumer(VmDeviceRecorder devices) : IConsumer<VmDevicesReported>
{
    public Task Consume(ConsumeContext<VmDevicesReported> context)
    {
        var report = context.Message;
        return devices.RecordAsync(report.VmId,
            new ReportedDevices(report.Devices, report.HostId, report.Incarnation, DeviceReportSource.Sync, report.ReportedAt), context.CancellationToken);
    }
}
