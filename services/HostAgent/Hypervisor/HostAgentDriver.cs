using CloudBus.Messages;
namespace CloudBus.HostAgent.Hypervisor;

/// <summary>Which hosts the agent drives, setting <c>HostAgent:Driver</c> (environment <c>HostAgent__Driver</c>).</summary>
public enum HostAgentDriver
{
    /// <summary>A whole simulated fleet in this process, with the fault-injection back door (tests, demos, benchmarks).</summary>
    Simulated,

    /// <summary>The one real host the agent runs on, through libvirt.</summary>
    Libvirt,
}

public static class HostAgentDriverSetting
{
    public const string Key = "HostAgent:Driver";

    /// <summary>The configured driver; Simulated when unset. An unknown name stops the agent with a message saying what is accepted.</summary>
    public static HostAgentDriver Read(IConfiguration configuration)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value)) return HostAgentDriver.Simulated;
        return EnumNames.TryParse<HostAgentDriver>(value, out var driver)
            ? driver
            : throw new InvalidOperationException($"{Key} must be {string.Join(" or ", Enum.GetNames<HostAgentDriver>())}, not '{value}'.");
    }
}
