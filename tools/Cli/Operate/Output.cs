using System.Globalization;
using System.Text.Json;
using CloudBus.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CloudBus.Cli.Operate;

/// <summary>
/// Where a command's result goes: JSON (the records as the services wrote them, indented) with
/// <c>--json</c>, else tables. Cells are plain text, never markup, so a name with brackets prints
/// as it is.
/// </summary>
internal sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions Indented = new(ControlPlaneClient.Json) { WriteIndented = true };

    /// <summary>Tables as wide as they need, when printed into a pipe or a file (Spectre would cut them at 80 columns).</summary>
    private const int RedirectedWidth = 240;

    static Output()
    {
        if (!Console.IsOutputRedirected) return;
        AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : RedirectedWidth;
    }

    public bool IsJson { get; } = json;

    /// <summary>Prints <paramref name="value"/> as JSON, or renders it with <paramref name="asTables"/>.</summary>
    public void Write<T>(T value, Action<T> asTables)
    {
        if (IsJson) Console.Out.WriteLine(JsonSerializer.Serialize(value, Indented));
        else asTables(value);
    }

    public static void Table(string? title, IReadOnlyList<string> columns, IEnumerable<IEnumerable<string?>> rows)
    {
        var table = new Table().Border(TableBorder.Simple);
        if (title is not null) table.Title = new TableTitle(title);
        foreach (var column in columns) table.AddColumn(new TableColumn(column));
        foreach (var row in rows) table.AddRow(row.Select(cell => (IRenderable)new Text(cell ?? "-")));
        if (table.Rows.Count == 0) table.Caption = new TableTitle("(none)");
        AnsiConsole.Write(table);
    }

    /// <summary>Name: value lines, for one record.</summary>
    public static void Fields(IEnumerable<(string Name, string? Value)> fields) =>
        Table(null, ["", ""], fields.Select(f => new[] { f.Name, f.Value }));

    public static string Time(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
