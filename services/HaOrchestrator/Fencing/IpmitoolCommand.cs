using System.Diagnostics;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// The ipmitool command line for one BMC call. The password goes into the child's environment
/// (<c>-E</c> reads <see cref="PasswordVariable"/>) and never into its arguments, which any
/// user on the machine can read in <c>/proc/PID/cmdline</c> or <c>ps</c>. The child gets a clean
/// environment: nothing of HaOrchestrator's own (its broker and database passwords among it).
/// </summary>
public static class IpmitoolCommand
{
    public const string PasswordVariable = "IPMI_PASSWORD";

    /// <param name="command">The ipmitool command, for example <c>["chassis", "power", "status"]</c>.</param>
    public static ProcessStartInfo StartInfo(string ipmitoolPath, BmcEndpoint bmc, string username, string password, IEnumerable<string> command)
    {
        var start = new ProcessStartInfo(ipmitoolPath)
        {
            UseShellExecute = false,
            // Stdin is redirected and closed so ipmitool can never wait at a password prompt.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // -C 3 names the cipher suite (HMAC-SHA1, AES) instead of discovering it, which costs
        // a 10 s wait on BMCs without discovery. -v makes ipmitool say why a session failed
        // ("RAKP 2 HMAC is invalid"), the only way to tell a wrong password from other errors.
        string[] arguments = ["-I", "lanplus", "-H", bmc.Host, "-p", bmc.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", username, "-E", "-C", "3", "-v", .. command];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var path = start.Environment.TryGetValue("PATH", out var inherited) ? inherited : null;
        start.Environment.Clear();
        start.Environment["PATH"] = path ?? "/usr/sbin:/usr/bin:/sbin:/bin";
        // ipmitool's messages are read back (IpmitoolOutput): always in its own words, never translated.
        start.Environment["LC_ALL"] = "C";
        start.Environment[PasswordVariable] = password;
        return start;
    }
}
