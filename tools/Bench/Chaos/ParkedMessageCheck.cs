using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudBus.Security;

namespace CloudBus.Bench.Chaos;

/// <summary>
/// At the end: no message may sit in an error queue without an alert. Every message in every
/// <c>_error</c> queue of the virtual host (RabbitMQ's management API, read and put back) must be
/// matched by an ALERT line a service printed: by its message id (event 150), or, for a message
/// that could not be read and so has no id the service knew (event 151), by its queue.
/// </summary>
public static class ParkedMessageCheck
{
    private const string ErrorSuffix = "_error";

    /// <returns>How many messages are parked, and how many of them without an alert.</returns>
    public static async Task<(int Parked, int WithoutAlert)> RunAsync(AlertLines alerts, ChaosLog log)
    {
        using var http = ManagementClient();
        var vhost = Uri.EscapeDataString(Setting("RabbitMq__VirtualHost"));
        var queues = await http.GetFromJsonAsync<List<JsonElement>>($"api/queues/{vhost}?columns=name");
        var (parked, withoutAlert) = (0, 0);
        foreach (var queue in queues!.Select(q => q.GetProperty("name").GetString()!).Where(name => name.EndsWith(ErrorSuffix, StringComparison.Ordinal)))
        {
            // ack_requeue_true: each message is read and put back, so the queue is left as it was.
            using var response = await http.PostAsJsonAsync($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}/get",
                new { count = 10_000, ackmode = "ack_requeue_true", encoding = "auto", truncate = 100_000 });
            response.EnsureSuccessStatusCode();
            var inputQueue = new Regex($"/{Regex.Escape(queue[..^ErrorSuffix.Length])}(?![\\w.-])");
            foreach (var message in (await response.Content.ReadFromJsonAsync<List<JsonElement>>())!)
            {
                parked++;
                var id = MessageId(message);
                var alerted = id is null
                    ? alerts.Lines.Any(line => inputQueue.IsMatch(line))
                    : alerts.Lines.Any(line => line.Contains(id, StringComparison.OrdinalIgnoreCase));
                if (alerted) continue;
                withoutAlert++;
                log.Write($"PARKED WITHOUT ALERT: message {id ?? "(no id)"} in {queue}");
            }
        }
        return (parked, withoutAlert);
    }

    /// <summary>MassTransit's message id: the AMQP message_id property, else the envelope's messageId.</summary>
    private static string? MessageId(JsonElement message)
    {
        if (message.GetProperty("properties") is { ValueKind: JsonValueKind.Object } properties
            && properties.TryGetProperty("message_id", out var property) && property.GetString() is { Length: > 0 } id)
            return id;
        try
        {
            using var envelope = JsonDocument.Parse(message.GetProperty("payload").GetString() ?? "");
            return envelope.RootElement.TryGetProperty("messageId", out var messageId) ? messageId.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // not a MassTransit envelope: the unreadable kind
        }
    }

    /// <summary>The management API of the first broker node (./bench.sh's servers), as the services' user.</summary>
    private static HttpClient ManagementClient()
    {
        var port = (Environment.GetEnvironmentVariable("RabbitMq__ManagementPorts") ?? Setting("RabbitMq__ManagementPort")).Split(',')[0];
        var http = new HttpClient { BaseAddress = new Uri($"http://{Setting("RabbitMq__Host")}:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Setting("RabbitMq__Username")}:{SecretFile.Read(Setting("RabbitMq__PasswordFile"), "RabbitMq__PasswordFile")}"));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return http;
    }

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: run ./bench.sh chaos");
}
