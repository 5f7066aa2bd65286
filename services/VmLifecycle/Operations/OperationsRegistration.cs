using CloudBus.ServiceDefaults.Routing;
using CloudBus.VmLifecycle.Operations.Settlement;

namespace CloudBus.VmLifecycle.Operations;

public static class OperationsRegistration
{
    /// <summary>
    /// Everything that changes VMs: the transitions, the operations and what they share, creation,
    /// the fenced-host release, the host status copy, and the settling of what dead instances left.
    /// </summary>
    public static IServiceCollection AddVmOperations(this IServiceCollection services)
    {
        services.AddSingleton<VmTransitions>();
        services.AddSingleton<MigrationTargets>();
        services.AddSingleton<RunningOperations>();
        services.AddSingleton<VmCreation>();
        services.AddSingleton<VmDeviceRecorder>();
        // Scoped: a repeat's answer is published through the scope's endpoint (the consumed
        // message's, when a command runs the operation), and the agent's typed HTTP client is
        // not kept beyond a scope.
        services.AddScoped<OperationRepeats>();
        services.AddScoped<AgentCalls>();
        services.AddScoped<OperationRunner>();
        services.AddScoped<VmPowerOperations>();
        services.AddScoped<VmMigration>();
        services.AddScoped<VmDestruction>();
        services.AddSingleton<FencedHostRelease>();
        services.AddSingleton<HostStatusCopy>();
        services.AddSingleton<InterruptedOperations>();
        services.AddSingleton<IRingObserver>(provider => provider.GetRequiredService<InterruptedOperations>());
        services.AddHostedService(provider => provider.GetRequiredService<InterruptedOperations>());
        return services;
    }
}
