using System.ComponentModel.DataAnnotations;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// How HaOrchestrator reaches hosts' BMCs, section <c>Fencing</c>. Validated at start wherever
/// fencing is registered (<see cref="FencingServiceCollectionExtensions.AddIpmiFencing"/>): exactly
/// BMC passwords come from <see cref="BmcPasswordFile"/> or <see cref="BmcCredentialsFile"/>, files only.
/// </summary>
public sealed class FencingOptions : IValidatableObject
{
    public const string Section = "Fencing";

    /// <value>The BMC user fencing logs in as on every BMC without an entry in <see cref="BmcCredentialsFile"/>. Default <c>admin</c>.</value>
    public string BmcUsername { get; set; } = "admin";

    /// <value>
    /// A file holding the BMC password (trailing newlines ignored). Read on every call, so a
    /// rotated password is used without a restart. A file, never a value: a file can be mode 600,
    /// an environment variable is visible to anyone who may read the process's environment.
    /// </value>
    public string? BmcPasswordFile { get; set; }

    /// <value>
    /// A file (mode 600) of per-host BMC logins, read on every call: a JSON object keyed by host
    /// id, each <c>{"username": "…", "password": "…"}</c>. Hosts without an entry use
    /// <see cref="BmcUsername"/> and the shared password.
    /// </value>
    public string? BmcCredentialsFile { get; set; }

    /// <value>Not read: only here so that a password given the old way is refused with a message that says what to do.</value>
    public string? BmcPassword { get; set; }

    /// <value>The ipmitool program: a name looked up on PATH or a full path. Default <c>ipmitool</c>.</value>
    public string IpmitoolPath { get; set; } = "ipmitool";

    /// <value>
    /// How long one BMC call may take before it is abandoned (its ipmitool killed) and the BMC
    /// counts as unreachable. Default 5 s: a BMC on the LAN answers in well under a second, and
    /// ipmitool alone would retry for about 20 s.
    /// </value>
    public TimeSpan BmcCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // IPMI user names are at most 16 bytes.
        if (string.IsNullOrWhiteSpace(BmcUsername) || BmcUsername.Length > BmcCredentials.MaxUsernameLength)
            yield return new ValidationResult($"Fencing:BmcUsername must be 1-{BmcCredentials.MaxUsernameLength} characters.");
        if (!string.IsNullOrEmpty(BmcPassword))
            yield return new ValidationResult(
                "Fencing:BmcPassword (env Fencing__BmcPassword) is not read: secrets come from files only. Put the password in a file (mode 600) and name it in Fencing:BmcPasswordFile.");
        else if (string.IsNullOrWhiteSpace(BmcPasswordFile) && string.IsNullOrWhiteSpace(BmcCredentialsFile))
            yield return new ValidationResult(
                "Fencing needs BMC passwords: set Fencing:BmcPasswordFile (a file, mode 600) or Fencing:BmcCredentialsFile (per-host logins).");
        if (string.IsNullOrWhiteSpace(IpmitoolPath))
            yield return new ValidationResult("Fencing:IpmitoolPath must not be empty.");
        if (BmcCallTimeout <= TimeSpan.Zero || BmcCallTimeout > TimeSpan.FromMinutes(2))
            yield return new ValidationResult("Fencing:BmcCallTimeout must be positive and at most 2 minutes.");
    }
}
