using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// Switches hosts' power through their BMCs, and asks BMCs who they are, with the real
/// <c>ipmitool</c> (IPMI 2.0, lanplus), one child process per call. The password reaches
/// ipmitool only through its environment (<see cref="IpmitoolCommand"/>) and is never logged; a call that outlives
/// <see cref="FencingOptions.BmcCallTimeout"/> is killed and reported unreachable.
/// </summary>
public sealed partial class IpmiPowerClient(IOptions<FencingOptions> options, TimeProvider clock, ILogger<IpmiPowerClient> logger)
    : IBmcPowerClient
{
    private static readonly string[] PowerStatus = ["chassis", "power", "status"];
    private static readonly string[] PowerOff = ["chassis", "power", "off"];
    private static readonly string[] SystemGuid = ["mc", "guid"];

    public Task<BmcCallResult> GetPowerAsync(string hostId, BmcEndpoint bmc, CancellationToken cancellationToken) =>
        CallAsync(hostId, bmc, PowerStatus, IpmitoolOutput.ReadPowerStatus, cancellationToken);

    public Task<BmcCallResult> GetGuidAsync(string hostId, BmcEndpoint bmc, CancellationToken cancellationToken) =>
        CallAsync(hostId, bmc, SystemGuid, IpmitoolOutput.ReadGuid, cancellationToken);

    public async Task<BmcCallResult> PowerOffAsync(string hostId, BmcEndpoint bmc, CancellationToken cancellationToken)
    {
        var result = await CallAsync(hostId, bmc, PowerOff, IpmitoolOutput.ReadPowerOff, cancellationToken);
        if (result.Succeeded) LogPoweredOff(bmc);
        return result;
    }

    private delegate BmcCallResult OutputReader(BmcEndpoint bmc, string username, int exitCode, string stdout, string stderr);

    private async Task<BmcCallResult> CallAsync(string hostId, BmcEndpoint bmc, string[] command, OutputReader read, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (login, loginProblem) = BmcCredentials.For(hostId, settings);
        if (login is null) return Logged(bmc, command, BmcCallResult.Failed(BmcFailure.PasswordUnavailable, loginProblem!));

        var start = IpmitoolCommand.StartInfo(settings.IpmitoolPath, bmc, login.Username, login.Password, command);
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

        return Logged(bmc, command, read(bmc, login.Username, process.ExitCode, await stdout, await stderr));
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
