using System.Text.RegularExpressions;

namespace CloudBus.ServiceDefaults.Sagas;

/// <summary>Checks and quotes a saga table's <c>schema.table</c> name, which is written into SQL.</summary>
internal static partial class SagaTableName
{
    /// <returns><c>"schema"."table"</c>.</returns>
    /// <exception cref="ArgumentException">The name is not two lower-case identifiers joined by a dot.</exception>
    public static string Quote(string? qualifiedName, Type sagaType)
    {
        var match = QualifiedName().Match(qualifiedName ?? "");
        if (!match.Success)
            throw new ArgumentException(
                $"Saga table '{qualifiedName}' for {sagaType.Name} must be 'schema.table' in lower-case letters, digits and underscores.",
                nameof(qualifiedName));
        return $"\"{match.Groups["schema"].Value}\".\"{match.Groups["table"].Value}\"";
    }

    [GeneratedRegex(@"^(?<schema>[a-z_][a-z0-9_]{0,62})\.(?<table>[a-z_][a-z0-9_]{0,62})$")]
    private static partial Regex QualifiedName();
}
