using CloudBus.Bench;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace CloudBus.UnitTests.Deploy;

/// <summary>docker-compose.yml as compose reads it: its services, anchors and merge keys resolved.</summary>
internal static class ComposeFile
{
    public static Dictionary<string, Dictionary<object, object>> Services()
    {
        using var reader = new StreamReader(Path.Combine(BenchProcess.RepositoryRoot, "docker-compose.yml"));
        // The merging parser resolves the file's anchors and `<<:` merge keys, as compose does.
        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(new MergingParser(new Parser(reader)));
        return ((Dictionary<object, object>)compose["services"])
            .ToDictionary(service => (string)service.Key, service => (Dictionary<object, object>)service.Value);
    }
}
