using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Registry;
using CloudBus.Messages.Routing;
using CloudBus.Messages.Vms;

namespace CloudBus.Messages.Broker;

/// <summary>
/// The broker permissions of each control-plane service, one user per service: the one place that
/// says which message types a service publishes and consumes on the bus. A service that starts
/// publishing or consuming another type must be given it here, or the broker refuses it (the
/// least-privilege whole-stack tests run every service under these permissions).
/// </summary>
public static class BrokerPermissions
{
    // Every service announces itself to NodeRegistry.
    private static readonly Type[] Membership = [typeof(ServiceInstanceHeartbeat), typeof(ServiceInstanceStopped)];

    public static readonly ServicePermissions NodeRegistry = new("node-registry",
        Publishes: [.. Membership, typeof(RingChanged)],
        Consumes: [.. Membership, typeof(GetRing)],
        SendsTo: []);

    public static readonly ServicePermissions HostMonitor = new("host-monitor",
        Publishes: [.. Membership, typeof(GetRing), typeof(HostStatusChanged), typeof(HostSuspected), typeof(HostRecovered),
            typeof(VmPowerStateReported), typeof(VmDevicesReported), typeof(GetVmStates)],
        Consumes: [typeof(RingChanged), typeof(HostRegistered), typeof(HostMaintenanceChanged), typeof(CheckHostNow),
            typeof(HostFenced), typeof(HostInvestigated), typeof(VmStateChanged), typeof(VmStates), typeof(VmTraceSkipped), typeof(VmTraceContinued)],
        SendsTo: []);

    public static readonly ServicePermissions VmLifecycle = new("vm-lifecycle",
        Publishes: [.. Membership, typeof(GetRing), typeof(HostBmcChanged), typeof(HostMaintenanceChanged), typeof(HostRegistered), typeof(RegisteredHosts),
            typeof(VmCommandCompleted), typeof(VmTraceSkipped), typeof(VmTraceContinued), typeof(VmStateChanged), typeof(FencedHostReleased),
            typeof(VmStoppedUnexpectedly), typeof(VmStates)],
        Consumes: [typeof(RingChanged), typeof(HostStatusChanged), typeof(GetHosts), typeof(VmPowerStateReported), typeof(VmDevicesReported), typeof(GetVmStates),
            typeof(CreateVm), typeof(DestroyVm), typeof(MigrateVm), typeof(RebootVm), typeof(ReleaseFencedHost), typeof(SetVmHa), typeof(StartVm), typeof(StopVm)],
        SendsTo: []);

    public static readonly ServicePermissions HaOrchestrator = new("ha-orchestrator",
        Publishes: [.. Membership, typeof(GetHosts), typeof(FencingApproved), typeof(HostFenced), typeof(HostFencingFailed), typeof(HostInvestigated),
            typeof(InvestigationDeadlinePassed), typeof(InvestigationRetryDue), typeof(SuspectRecovered), typeof(HaAlertRaised)],
        Consumes: [typeof(HostBmcChanged), typeof(HostRecovered), typeof(HostRegistered), typeof(HostStatusChanged), typeof(HostSuspected), typeof(RegisteredHosts),
            typeof(FenceHost), typeof(InvestigateHost), typeof(FencingApproved), typeof(HostFenced), typeof(HostFencingFailed), typeof(HostInvestigated),
            typeof(InvestigationDeadlinePassed), typeof(InvestigationRetryDue), typeof(SuspectRecovered),
            typeof(FencedHostReleased), typeof(VmCommandCompleted), typeof(VmStoppedUnexpectedly)],
        // Restarts and releases go to VmLifecycle's command exchange (VmCommands.QueueName).
        SendsTo: [VmCommands.QueueName]);

    public static readonly IReadOnlyList<ServicePermissions> All = [NodeRegistry, HostMonitor, VmLifecycle, HaOrchestrator];

    /// <summary>The permissions of a service by its project name ("HostMonitor") or its bus name ("host-monitor").</summary>
    public static ServicePermissions? Of(string service) =>
        All.FirstOrDefault(p => p.Service == service || p.Service.Replace("-", "", StringComparison.Ordinal).Equals(service, StringComparison.OrdinalIgnoreCase));
}
