using System.Text.RegularExpressions;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// Reads what ipmitool printed for a chassis power or GUID call (run with <c>-v</c>, see
/// <see cref="IpmitoolCommand"/>) into a <see cref="BmcCallResult"/>. Pure, so every answer a BMC
/// can give is tested without one.
/// </summary>
public static partial class IpmitoolOutput
{
    // What -v adds on every call, even a successful one: not worth showing an operator.
    private static readonly string[] Chatter =
    [
        "Loading IANA PEN Registry", "Running Get VSO Capabilities", "Invalid completion code received: Invalid command",
        "Discovered IPMB address",
    ];

    // ipmitool's words when the BMC refused the login: a wrong password, then an unknown user.
    private static readonly string[] Rejections = ["RAKP 2 HMAC is invalid", "unauthorized name", "RAKP 2 message indicates an error"];

    // ipmitool's words when nothing answered, after its own retries.
    private static readonly string[] Silences = ["Get Auth Capabilities error", "No response from remote controller"];

    /// <summary><c>chassis power status</c>: "Chassis Power is on|off".</summary>
    public static BmcCallResult ReadPowerStatus(BmcEndpoint bmc, string username, int exitCode, string stdout, string stderr)
    {
        if (exitCode != 0) return Failure(bmc, username, exitCode, stderr);
        var match = PowerStatusLine().Match(stdout);
        return match.Success
            ? BmcCallResult.Ok(match.Groups[1].Value.Equals("on", StringComparison.OrdinalIgnoreCase) ? BmcPowerState.On : BmcPowerState.Off)
            : BmcCallResult.Failed(BmcFailure.BmcError, $"The BMC at {bmc} gave no power state: ipmitool printed '{stdout.Trim()}'.");
    }

    /// <summary><c>chassis power off</c>: "Chassis Power Control: Down/Off".</summary>
    public static BmcCallResult ReadPowerOff(BmcEndpoint bmc, string username, int exitCode, string stdout, string stderr)
    {
        if (exitCode != 0) return Failure(bmc, username, exitCode, stderr);
        return stdout.Contains("Chassis Power Control: Down/Off", StringComparison.OrdinalIgnoreCase)
            ? BmcCallResult.Ok(BmcPowerState.Off)
            : BmcCallResult.Failed(BmcFailure.BmcError, $"The BMC at {bmc} did not confirm the power-off: ipmitool printed '{stdout.Trim()}'.");
    }

    /// <summary>
    /// <c>mc guid</c>: "System GUID : 1dc82e32-90fe-52eb-c369-e44ee12e1133", the BMC's identity,
    /// compared before a power-off with the one recorded when its host was registered.
    /// </summary>
    public static BmcCallResult ReadGuid(BmcEndpoint bmc, string username, int exitCode, string stdout, string stderr)
    {
        if (exitCode != 0) return Failure(bmc, username, exitCode, stderr);
        var match = GuidLine().Match(stdout);
        return match.Success
            ? BmcCallResult.Identified(match.Groups[1].Value.ToLowerInvariant())
            : BmcCallResult.Failed(BmcFailure.BmcError, $"The BMC at {bmc} gave no system GUID: ipmitool printed '{stdout.Trim()}'.");
    }

    private static BmcCallResult Failure(BmcEndpoint bmc, string username, int exitCode, string stderr)
    {
        var detail = Detail(stderr, exitCode);
        if (Rejections.Any(stderr.Contains))
            return BmcCallResult.Failed(BmcFailure.CredentialsRejected,
                $"The BMC at {bmc} rejected user '{username}' or its password (Fencing:BmcCredentialsFile, or Fencing:BmcUsername with Fencing:BmcPasswordFile): {detail}");
        if (Silences.Any(silence => stderr.Contains(silence, StringComparison.OrdinalIgnoreCase)))
            return BmcCallResult.Failed(BmcFailure.Unreachable, $"The BMC at {bmc} did not answer: {detail}");
        return BmcCallResult.Failed(BmcFailure.BmcError, $"The BMC at {bmc} answered with an error: {detail}");
    }

    private static string Detail(string stderr, int exitCode)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !Chatter.Any(chatter => line.StartsWith(chatter, StringComparison.Ordinal)))
            .ToList();
        return lines.Count == 0 ? $"ipmitool exited with code {exitCode}." : string.Join("; ", lines);
    }

    [GeneratedRegex(@"Chassis Power is (on|off)", RegexOptions.IgnoreCase)]
    private static partial Regex PowerStatusLine();

    [GeneratedRegex(@"System GUID\s*:\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")]
    private static partial Regex GuidLine();
}
