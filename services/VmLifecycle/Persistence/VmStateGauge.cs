using System.Diagnostics.Metrics;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Telemetry;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>VMs by state (<see cref="VmState"/>), from <c>vm_lifecycle.vms</c>, which this service owns.</summary>
public sealed class VmStateGauge(IMeterFactory meters) : TableStateGauge(meters, "vm-lifecycle", Vms, "state", Enum.GetNames<VmState>(),
    "SELECT state, count(*) FROM vm_lifecycle.vms GROUP BY state")
{
    public static readonly MetricName Vms = new("cloudbus.vms", "{vm}", MetricKind.Gauge, "VMs by state");
}
