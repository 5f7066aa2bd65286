namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Two NodeRegistry replicas, one of everything else.</summary>
public sealed class TwoRegistriesStack() : ControlPlaneStack(hostMonitors: 1, nodeRegistries: 2, fleetSize: 3);
