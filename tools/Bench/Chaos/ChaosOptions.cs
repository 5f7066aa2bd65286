using System.Globalization;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// <c>./bench.sh chaos [--minutes M] [--seed S]</c>: how long faults are injected and the seed of
/// every random choice (which fault, where, for how long), so a run that broke an invariant can
/// be tried again with the same choices.
/// </summary>
public sealed record ChaosOptions(double Minutes, int Seed)
{
    public const double DefaultMinutes = 8;
    public const int DefaultSeed = 42;

    public TimeSpan Duration => TimeSpan.FromMinutes(Minutes);

    /// <returns>The options, or null with <paramref name="problem"/> saying what is wrong.</returns>
    public static ChaosOptions? Parse(IReadOnlyList<string> args, out string? problem)
    {
        var minutes = DefaultMinutes;
        var seed = DefaultSeed;
        problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--minutes" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out minutes) && minutes is > 0 and <= 60:
                    i++;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed):
                    i++;
                    break;
                default:
                    problem = $"unexpected '{args[i]}' {value}: use --minutes M (more than 0, at most 60) and --seed S (an integer)";
                    return null;
            }
        }
        return new ChaosOptions(minutes, seed);
    }
}
