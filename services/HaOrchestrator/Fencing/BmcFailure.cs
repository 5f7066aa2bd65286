namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// Why a BMC call failed. Fencing decides differently on each: an unreachable BMC may answer on a
/// retry, rejected credentials will not until an operator fixes them.
/// </summary>
public enum BmcFailure
{
    /// <summary>ipmitool is not installed (or <c>Fencing:IpmitoolPath</c> is wrong).</summary>
    IpmitoolMissing,

    /// <summary>The BMC password could not be read (missing or empty password file).</summary>
    PasswordUnavailable,

    /// <summary>The BMC answered and refused the user name or password.</summary>
    CredentialsRejected,

    /// <summary>No answer within <c>Fencing:BmcCallTimeout</c>: the host's power state is unknown.</summary>
    Unreachable,

    /// <summary>The BMC answered with an error, or with something ipmitool did not understand.</summary>
    BmcError,
}
