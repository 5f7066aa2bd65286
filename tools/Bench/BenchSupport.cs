using System.Net.Http.Json;
using System.Text.Json;
using CloudBus.Security;
using Polly;
using Polly.Retry;

namespace CloudBus.Bench;

/// <summary>What every benchmark needs: the servers ./bench.sh started, waiting for a condition, printing a figure.</summary>
public static class BenchSupport
{
    private static readonly string[] ServerSettings =
        ["RabbitMq__Host", "RabbitMq__Port", "RabbitMq__Username", "RabbitMq__PasswordFile", "RabbitMq__VirtualHost", "Postgres__ConnectionString",
         "Auth__SigningKeyFile"];

    /// <summary>Broker and database settings from the environment (./bench.sh NAME sets them).</summary>
    /// <summary>A simulated fleet's back door (faults, power, audit) on a loopback port of its own (the agent's <c>Simulated__BackDoorPort</c>).</summary>
    public static Uri NewBackDoor() => new($"http://127.0.0.1:{BenchProcess.FreePort()}/");

    public static string PortOf(Uri address) => address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// An HTTP client acting as an admin of the benchmark's control plane: its token is minted, as
    /// `cloudbus token mint` does, with the key ./bench.sh's servers give the services.
    /// </summary>
    public static HttpClient AdminClient(TimeSpan timeout)
    {
        var keyFile = Environment.GetEnvironmentVariable("Auth__SigningKeyFile")
            ?? throw new InvalidOperationException("Auth__SigningKeyFile is not set: run the benchmark through ./bench.sh");
        var token = OperatorTokens.Mint(SecretFile.Read(keyFile, "Auth__SigningKeyFile"), "bench", OperatorRoles.Admin, TimeSpan.FromHours(12), DateTimeOffset.UtcNow);
        var client = new HttpClient { Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The broker password, from the file ./bench.sh's servers name in <c>RabbitMq__PasswordFile</c>.</summary>
    public static string RabbitPassword(IReadOnlyDictionary<string, string> environment) =>
        SecretFile.Read(environment["RabbitMq__PasswordFile"], "RabbitMq__PasswordFile");

    /// <summary>
    /// A BMC password file for an orchestrator whose benchmark fences nothing through a BMC (the
    /// setting is required all the same): random, mode 600, in a folder of its own.
    /// </summary>
    public static string UnusedBmcPasswordFile()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cloudbus-bench-bmc-").FullName, "bmc-password");
        SecretFile.Write(path, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
        return path;
    }

    public static Dictionary<string, string> ServerEnvironment(string benchmark)
    {
        var environment = ServerSettings.ToDictionary(name => name,
            name => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: run ./bench.sh {benchmark}"));
        // Only a database server that asks for a password has a password file (the Patroni cluster does not yet).
        if (Environment.GetEnvironmentVariable("Postgres__PasswordFile") is { Length: > 0 } passwordFile) environment["Postgres__PasswordFile"] = passwordFile;
        // The simulated fleets on loopback speak plain http (the libvirt benchmark turns mutual TLS on).
        environment["AgentClient__AllowPlainHttp"] = "true";
        return environment;
    }

    /// <summary>The database connection string with its password, for a benchmark's own connections (services read the file themselves).</summary>
    public static string DatabaseConnectionString(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("Postgres__PasswordFile", out var passwordFile)
            ? new Npgsql.NpgsqlConnectionStringBuilder(environment["Postgres__ConnectionString"])
            {
                Password = SecretFile.Read(passwordFile, "Postgres__PasswordFile"),
            }.ConnectionString
            : environment["Postgres__ConnectionString"];

    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        UntilAsync(async () => await condition(), TimeSpan.FromMilliseconds(250), timeout, $"no {what} after {timeout}");

    /// <summary>
    /// Tries <paramref name="attempt"/> every <paramref name="every"/> until it returns true; a failure
    /// that <paramref name="notYet"/> accepts counts as false, any other ends the wait. A try that ends
    /// after <paramref name="timeout"/> without success is the last: then a <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task UntilAsync(
        Func<ValueTask<bool>> attempt, TimeSpan every, TimeSpan timeout, string timeoutMessage, Func<Exception, bool>? notYet = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        var untilDone = new ResiliencePipelineBuilder<bool>()
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = args => ValueTask.FromResult(
                    (args.Outcome.Exception is { } failure ? notYet?.Invoke(failure) == true : !args.Outcome.Result)
                    && TimeProvider.System.GetElapsedTime(started) <= timeout),
                MaxRetryAttempts = int.MaxValue,
                Delay = every,
            })
            .Build();
        bool done;
        try
        {
            done = await untilDone.ExecuteAsync(_ => attempt());
        }
        catch (Exception failure) when (notYet?.Invoke(failure) == true)
        {
            done = false;
        }
        if (!done) throw new TimeoutException(timeoutMessage);
    }

    /// <summary>The 99th percentile (nearest rank) of <paramref name="values"/>, which must not be empty.</summary>
    public static double P99(IReadOnlyCollection<double> values) => values.Order().ElementAt((int)Math.Ceiling(0.99 * values.Count) - 1);

    /// <summary>One figure, as <c>name: value</c>.</summary>
    /// <summary>How many of <paramref name="vms"/> VmLifecycle has Running on a host other than <paramref name="failedHost"/>.</summary>
    public static async Task<int> RunningElsewhereAsync(HttpClient http, BenchProcess lifecycle, IReadOnlyCollection<Guid> vms, string failedHost)
    {
        var wanted = vms.ToHashSet();
        var all = await http.GetFromJsonAsync<JsonElement>(new Uri(lifecycle.BaseAddress, "vms"));
        return all.EnumerateArray().Count(v => wanted.Contains(v.GetProperty("vmId").GetGuid())
                                               && v.GetProperty("state").GetString() == "Running"
                                               && v.GetProperty("hostId").GetString() != failedHost);
    }

    public static void Print(string name, double value) => Console.WriteLine($"{name}: {value:0.###}");

    /// <summary>
    /// Runs <paramref name="measure"/> with a fresh directory for the simulated hosts' storage
    /// heartbeats, removed afterwards: <paramref name="measure"/> disposes the agent that writes
    /// there before it returns, so nothing is written into the directory while it goes.
    /// </summary>
    public static async Task<int> WithHeartbeatDirectoryAsync(Func<string, Task<int>> measure)
    {
        var heartbeats = Directory.CreateTempSubdirectory("cloudbus-bench-hb-").FullName;
        try
        {
            return await measure(heartbeats);
        }
        finally
        {
            Directory.Delete(heartbeats, recursive: true);
        }
    }
}
