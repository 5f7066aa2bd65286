using CloudBus.ServiceDefaults.Bus;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>
/// Applies the service's migrations at start, waiting while the database is away for a moment (a
/// PostgreSQL failover in progress, a server still starting). Without the wait an instance started
/// then crashed, and ran again only if something restarted it (seen in the chaos benchmark). Past
/// <see cref="Patience"/> the start fails with the last error, as before.
/// </summary>
internal static partial class StartupMigrations
{
    /// <summary>Well beyond a failover (~10 s here) or a server's start.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    public static async Task ApplyAsync(MigrationRunner migrations, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var giveUpAt = clock.GetUtcNow() + Patience;
        var waiting = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } failure && TransientFailures.IsTransient(failure) && clock.GetUtcNow() < giveUpAt),
                MaxRetryAttempts = int.MaxValue,
                Delay = RetryEvery,
                BackoffType = DelayBackoffType.Constant,
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception!.GetBaseException().Message;
                    LogWaiting(logger, reason, RetryEvery.TotalSeconds, Patience.TotalMinutes);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        await waiting.ExecuteAsync(async token => await migrations.MigrateAsync(token), cancellationToken);
    }

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning,
        Message = "Database not reachable at start ({Reason}); trying again every {Seconds} s for up to {Minutes} min")]
    private static partial void LogWaiting(ILogger logger, string reason, double seconds, double minutes);
}
