namespace CloudBus.ServiceDefaults.Http;

/// <summary>How much one request may carry: far more than any real request, far less than harm.</summary>
public static class ApiLimits
{
    /// <summary>The largest request body (a VM with its disks and NICs is under 4 KiB): larger ones are answered 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>How deep JSON may nest: requests are flat records with a list or two.</summary>
    public const int MaxJsonDepth = 16;
}
