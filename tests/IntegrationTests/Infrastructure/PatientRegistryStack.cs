namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// A stack whose NodeRegistry waits a hundred silent rounds before removing a member, so a test
/// can tell a clean leave (at once) from removal for silence (practically never here).
/// </summary>
public sealed class PatientRegistryStack() : ControlPlaneStack(hostMonitors: 2, nodeRegistries: 1, fleetSize: 3)
{
    protected override IEnumerable<(string Key, string Value)> ExtraSettings => [("NodeRegistry__MissingRoundsBeforeRemoval", "100")];
}
