using Microsoft.AspNetCore.Http;

namespace CloudBus.ServiceDefaults.Http;

/// <summary>
/// Which requests change something: every method but GET, HEAD and OPTIONS. The one rule the audit
/// log (what it records) and the rate limit (what it counts) share.
/// </summary>
public static class ChangingRequests
{
    public static bool IsChanging(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
}
