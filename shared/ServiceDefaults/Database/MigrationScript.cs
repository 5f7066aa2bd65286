using System.Reflection;
using System.Text.RegularExpressions;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>One numbered migration: <c>Persistence/Migrations/0001_create_hosts.sql</c> has version 1.</summary>
public sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>
    /// Every embedded <c>.sql</c> resource under a <c>Migrations</c> folder of the assembly, ordered by
    /// version. Two scripts with one version are a build mistake and stop the service.
    /// </summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded(Assembly assembly)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new MigrationScript(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Migrations {string.Join(", ", duplicate.Select(s => s.Name))} in {assembly.GetName().Name} share version {duplicate.Key}.");
        return scripts.OrderBy(s => s.Version).ToList();
    }

    [GeneratedRegex(@"\.Migrations\.(?<name>(?<version>\d+)_[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
