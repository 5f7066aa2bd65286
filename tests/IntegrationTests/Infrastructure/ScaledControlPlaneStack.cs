namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Three HostMonitor instances, two NodeRegistry replicas and a fleet of twelve hosts.</summary>
public sealed class ScaledControlPlaneStack() : ControlPlaneStack(hostMonitors: 3, nodeRegistries: 2, fleetSize: 12);
