using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudBus.Messages.Hosts;

namespace CloudBus.IntegrationTests.Messaging;

/// <summary>
/// Message bodies no consumer can handle, as a buggy or foreign publisher might put them on a
/// queue: one that is not JSON at all, and MassTransit envelopes that name a real message type
/// but whose message has the wrong JSON type in every field.
/// </summary>
public static class PoisonMessages
{
    public const string ContentType = "application/vnd.masstransit+json";

    /// <summary>Not JSON, and not even UTF-8 at the end.</summary>
    public static byte[] NotJson() => [.. Encoding.UTF8.GetBytes("<poison> this is not JSON at all "), 0xFF, 0xFE, 0x00];

    /// <summary>
    /// The CLR type MassTransit named an exchange after (<c>CloudBus.Messages.Hosts:HostRecovered</c>
    /// is <see cref="HostRecovered"/>); null for an exchange that does not name a shared message type.
    /// </summary>
    public static Type? MessageTypeOf(string exchange) =>
        exchange.Contains(':', StringComparison.Ordinal)
            ? typeof(HostRecovered).Assembly.GetType(exchange.Replace(':', '.'), throwOnError: false)
            : null;

    /// <summary>
    /// A well-formed envelope for <paramref name="messageType"/> whose message has a number where a
    /// string is expected and a string everywhere else (Guid, time, number, enum, list, record); a
    /// type without fields gets a number where its object is expected.
    /// </summary>
    public static byte[] WrongFieldTypes(Type messageType, string exchange)
    {
        var fields = messageType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        JsonNode message = fields.Count == 0 ? JsonValue.Create(12345) : new JsonObject(fields.Select(field =>
            KeyValuePair.Create<string, JsonNode?>(JsonNamingPolicy.CamelCase.ConvertName(field.Name), WrongValueFor(field.PropertyType))));
        var envelope = new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["conversationId"] = Guid.NewGuid().ToString(),
            ["sourceAddress"] = "rabbitmq://localhost/poison-message-tests",
            ["messageType"] = new JsonArray($"urn:message:{exchange}"),
            ["message"] = message,
            ["sentTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["headers"] = new JsonObject(),
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    /// <summary>The message part of an envelope from <see cref="WrongFieldTypes"/>.</summary>
    public static string MessageOf(byte[] envelope) => JsonNode.Parse(envelope)!["message"]!.ToJsonString();

    private static JsonValue WrongValueFor(Type fieldType) =>
        fieldType == typeof(string) ? JsonValue.Create(12345) : JsonValue.Create($"poison: not a {fieldType.Name}");
}
