using System.Diagnostics;

namespace CloudBus.Bench;

/// <summary>What every benchmark needs: the servers ./bench.sh started, waiting for a condition, printing a figure.</summary>
public static class BenchSupport
{
    private static readonly string[] ServerSettings =
        ["RabbitMq__Host", "RabbitMq__Port", "RabbitMq__Username", "RabbitMq__Password", "RabbitMq__VirtualHost", "Postgres__ConnectionString"];

    /// <summary>Broker and database settings from the environment (./bench.sh NAME sets them).</summary>
    public static Dictionary<string, string> ServerEnvironment(string benchmark) =>
        ServerSettings.ToDictionary(name => name,
            name => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: run ./bench.sh {benchmark}"));

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"no {what} after {timeout}");
            await Task.Delay(250);
        }
    }

    /// <summary>One figure, as <c>name: value</c>.</summary>
    public static void Print(string name, double value) => Console.WriteLine($"{name}: {value:0.###}");
}
