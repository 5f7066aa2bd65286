using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// Switches hosts' power through their BMCs with the real <c>ipmitool</c> (IPMI 2.0, lanplus),
/// one child process per call. The password reaches ipmitool only through its environment
/// (<see cref="IpmitoolCommand"/>) and is never logged; a call that outlives
/// <see cref="FencingOptions.BmcCallTimeout"/> is killed and reported unreachable.
/// </summary>
public sealed partial class IpmiPowerClient(IOptions<FencingOptions> options, TimeProvider clock, ILogger<IpmiPowerClient> logger)
    : IBmcPowerClient
{
    private static readonly string[] PowerStatus = ["chassis", "power", "status"];
    private static readonly string[] PowerOff = ["chassis", "power", "off"];

    public Task<BmcCallResult> GetPowerAsync(BmcEndpoint bmc, CancellationToken cancellationToken) =>
        CallAsync(bmc, PowerStatus, IpmitoolOutput.ReadPowerStatus, cancellationToken);

    public async Task<BmcCallResult> PowerOffAsync(BmcEndpoint bmc, CancellationToken cancellationToken)
    {
        var result = await CallAsync(bmc, PowerOff, IpmitoolOutput.ReadPowerOff, cancellationToken);
        if (result.Succeeded) LogPoweredOff(bmc);
        return result;
    }

    private delegate BmcCallResult OutputReader(BmcEndpoint bmc, string username, int exitCode, string stdout, string stderr);

    private async Task<BmcCallResult> CallAsync(BmcEndpoint bmc, string[] command, OutputReader read, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (password, passwordProblem) = ReadPassword(settings);
        if (password is null) return Logged(bmc, command, BmcCallResult.Failed(BmcFailure.PasswordUnavailable, passwordProblem!));

        var start = IpmitoolCommand.StartInfo(settings.IpmitoolPath, bmc, settings.BmcUsername, password, command);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            return Logged(bmc, command, BmcCallResult.Failed(BmcFailure.IpmitoolMissing,
                $"Cannot run '{settings.IpmitoolPath}' (Fencing:IpmitoolPath): {exception.Message}. Install the ipmitool package."));
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(settings.BmcCallTimeout, clock);
        using var callEnds = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(callEnds.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed whole, so no ipmitool outlives the call and keeps the BMC's session busy.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return Logged(bmc, command, BmcCallResult.Failed(BmcFailure.Unreachable,
                $"The BMC at {bmc} did not answer within {settings.BmcCallTimeout.TotalSeconds:0.###} s (Fencing:BmcCallTimeout); its host's power state is unknown."));
        }

        return Logged(bmc, command, read(bmc, settings.BmcUsername, process.ExitCode, await stdout, await stderr));
    }

    // Read on every call, so a rotated password file takes effect without a restart.
    private static (string? Password, string? Problem) ReadPassword(FencingOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.BmcPasswordFile))
            return string.IsNullOrEmpty(settings.BmcPassword)
                ? (null, "No BMC password configured: set Fencing:BmcPasswordFile or Fencing:BmcPassword.")
                : (settings.BmcPassword, null);
        try
        {
            var password = File.ReadAllText(settings.BmcPasswordFile).TrimEnd('\r', '\n');
            return password.Length > 0 ? (password, null) : (null, $"The BMC password file {settings.BmcPasswordFile} (Fencing:BmcPasswordFile) is empty.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, $"Cannot read the BMC password file {settings.BmcPasswordFile} (Fencing:BmcPasswordFile): {exception.Message}");
        }
    }

    private BmcCallResult Logged(BmcEndpoint bmc, string[] command, BmcCallResult result)
    {
        if (!result.Succeeded) LogCallFailed(bmc, string.Join(' ', command), result.Failure!.Value, result.Error!);
        return result;
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "BMC {Bmc} powered its host off")]
    private partial void LogPoweredOff(BmcEndpoint bmc);

    [LoggerMessage(EventId = 521, Level = LogLevel.Warning, Message = "BMC call '{Command}' to {Bmc} failed ({Failure}): {Error}")]
    private partial void LogCallFailed(BmcEndpoint bmc, string command, BmcFailure failure, string error);
}
