namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>A chassis power state as the BMC reports it.</summary>
public enum BmcPowerState
{
    On,
    Off,
}
