using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>How the services' HTTP APIs write JSON: camelCase, enums as names.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
