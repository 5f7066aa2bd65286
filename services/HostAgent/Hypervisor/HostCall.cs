namespace CloudBus.HostAgent.Hypervisor;

/// <summary>
/// The outcome of one control-plane request to a host, as the network would deliver it:
/// an answer, an unknown host, or silence. <see cref="ResponseDelay"/> is how long the answer
/// (or the failure) takes to arrive.
/// </summary>
public readonly record struct HostCall<T>(HostCallStatus Status, T? Value, TimeSpan ResponseDelay);
