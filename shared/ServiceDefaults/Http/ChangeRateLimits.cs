using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudBus.ServiceDefaults.Http;

/// <summary>
/// How many changing requests (anything but GET, HEAD, OPTIONS) one caller may make: a token
/// bucket per token subject (per address without a token), section <c>RateLimit</c>. Reads are
/// not limited. A script gone wrong gets 429 with Retry-After instead of flooding the control
/// plane, its database and its audit log.
/// </summary>
public sealed class ChangeRateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Changing requests per second a caller may keep up.</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimit:ChangesPerSecond must be between 1 and 100000.")]
    public int ChangesPerSecond { get; set; } = 100;

    /// <summary>How many a caller may make at once after a pause.</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimit:Burst must be between 1 and 100000.")]
    public int Burst { get; set; } = 500;
}

public static class ChangeRateLimits
{
    public static IServiceCollection AddChangeRateLimits(this IServiceCollection services)
    {
        services.AddOptions<ChangeRateLimitOptions>().BindConfiguration(ChangeRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ChangeRateLimitOptions>>((limiter, settings) =>
        {
            var limits = settings.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                ChangingRequests.IsChanging(context.Request.Method)
                    ? RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.Burst,
                        TokensPerPeriod = limits.ChangesPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("reads"));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static string CallerOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? "sub:" + context.User.Identity.Name : "ip:" + context.Connection.RemoteIpAddress;

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many changes",
            detail: $"More changing requests than RateLimit:ChangesPerSecond allows for one caller; try again after {retryAfter.TotalSeconds:0.#} s.")
            .ExecuteAsync(context);
    }
}
