using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The samples of a Prometheus text-format scrape (what /metrics answers), enough to assert on:
/// comments and type lines are skipped, each sample is its name, its labels and its value.
/// </summary>
public sealed partial class PrometheusText
{
    private PrometheusText(IReadOnlyList<Sample> samples) => Samples = samples;

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public override string ToString() => $"{Name}{{{string.Join(',', Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value}";
    }

    public IReadOnlyList<Sample> Samples { get; }

    public IEnumerable<string> Names => Samples.Select(s => s.Name).Distinct();

    /// <summary>Reads <paramref name="service"/>'s /metrics with <paramref name="http"/> (a client with a viewer's token).</summary>
    public static async Task<PrometheusText> ScrapeAsync(HttpClient http, ServiceProcess service) =>
        Parse(await http.GetStringAsync(new Uri(service.BaseAddress, "metrics")));

    public static PrometheusText Parse(string text) =>
        new(text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(ParseLine).ToList());

    /// <summary>The samples named <paramref name="name"/> whose labels include <paramref name="labels"/> (name=value pairs).</summary>
    public IReadOnlyList<Sample> Find(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();

    /// <summary>The one sample named <paramref name="name"/> with these labels, or null when there is none.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels) =>
        Find(name, labels) switch
        {
            [] => null,
            [var one] => one.Value,
            var many => throw new InvalidOperationException($"{many.Count} samples match {name}: {string.Join("; ", many)}"),
        };

    private static Sample ParseLine(string line)
    {
        var match = SampleLine().Match(line);
        if (!match.Success) throw new FormatException($"Not a Prometheus sample: {line}");
        var labels = LabelPair().Matches(match.Groups["labels"].Value)
            .ToDictionary(m => m.Groups[1].Value, m => Regex.Unescape(m.Groups[2].Value));
        var value = match.Groups["value"].Value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var number => double.Parse(number, CultureInfo.InvariantCulture),
        };
        return new Sample(match.Groups["name"].Value, labels, value);
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
