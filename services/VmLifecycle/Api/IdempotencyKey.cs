namespace CloudBus.VmLifecycle.Api;

/// <summary>
/// The header that makes a create safe to retry (POST /vms): the same key creates one VM, however
/// often it is sent (the key names the VM's id).
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;
}
