namespace CloudBus.VmLifecycle.Api;

/// <summary>
/// PUT /hosts/{id}/bmc: the host's BMC from now on (a new address, or the same one after the board
/// was replaced); no <c>bmcAddress</c> removes it. HA binds the BMC's identity anew and, for a while,
/// fences the host through it only with an operator's approval.
/// </summary>
public sealed record ChangeBmcRequest(string? BmcAddress, string[]? AlternateBmcAddresses)
{
    public RequestValidation Validate() => new RequestValidation().RequireBmcAddresses(BmcAddress, AlternateBmcAddresses);
}
