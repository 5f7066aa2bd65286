using System.Text.Json;

namespace CloudBus.AgentClient;

/// <summary>
/// What an agent's error answer may add to a message operators see: its status, and the title and
/// detail of a ProblemDetails answer (what agents send), without control characters and capped
/// (as is any other text of an agent's that a message names, see <see cref="Clean"/>).
/// Nothing else of the body: an address that is not really an agent (a request forged through a
/// registered address) gets none of its answer reflected back.
/// </summary>
internal static class AgentErrorText
{
    private const int MaxFieldLength = 300;

    public static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var status = $"{(int)response.StatusCode} {response.StatusCode}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return status;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
            return string.Join(": ", new[] { status, Field(problem, "title"), Field(problem, "detail") }.Where(part => !string.IsNullOrEmpty(part)));
        }
        catch (JsonException)
        {
            return status;
        }
    }

    /// <summary>Text an agent sent, as a message may carry it: without control characters, capped (null as empty).</summary>
    public static string Clean(string? text) => new([.. (text ?? "").Where(c => !char.IsControl(c)).Take(MaxFieldLength)]);

    private static string? Field(JsonDocument problem, string name) =>
        problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? Clean(value.GetString())
            : null;
}
