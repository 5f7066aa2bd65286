using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.WebConsole;

/// <summary>The web console (services/Console) started against a stack's services.</summary>
public static class ConsoleProcess
{
    public static async Task<ServiceProcess> StartAsync(ControlPlaneStack stack)
    {
        var console = ServiceProcess.Start("Console", new Dictionary<string, string>
        {
            ["Console__Services__vm_lifecycle"] = stack.VmLifecycle.BaseAddress.ToString(),
            ["Console__Services__host_monitor"] = stack.HostMonitor.BaseAddress.ToString(),
            ["Console__Services__node_registry"] = stack.NodeRegistry.BaseAddress.ToString(),
            ["Console__Services__ha_orchestrator"] = stack.HaOrchestrator.BaseAddress.ToString(),
        }, "Console");
        await console.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return console;
    }

    /// <summary>Where a test keeps its screenshots: TestResults/console/ in the checkout (git ignores it).</summary>
    public static string ArtifactPath(string name) => Path.Combine(ServiceBinaries.RepositoryRoot, "TestResults", "console", name);
}
