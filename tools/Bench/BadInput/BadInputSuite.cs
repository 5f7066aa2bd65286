using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CloudBus.Bench.BadInput;

/// <summary>
/// Sends every bad request of <see cref="BadInputCases"/> to every route the services describe, as
/// an admin (so the input, not the role, is what is judged), and checks each answer: a 4xx with a
/// problem-details body, never a 5xx, never a changing request accepted, and the control plane's
/// state the same afterwards. Used by the integration test and by `./bench.sh badinput`.
/// </summary>
public sealed class BadInputSuite(HttpClient admin)
{
    public async Task<BadInputReport> RunAsync(IReadOnlyList<(string Service, Uri BaseAddress)> services, KnownIds known,
        Func<Task<string>> readState, Action<string>? progress = null)
    {
        var operations = new List<ApiOperation>();
        foreach (var (service, address) in services)
        {
            using var document = JsonDocument.Parse(await admin.GetStringAsync(new Uri(address, "openapi/v1.json")));
            operations.AddRange(OpenApiOperations.Read(service, address, document.RootElement.Clone()));
        }

        var before = await readState();
        int requests = 0, rejectedByServer = 0;
        List<string> serverErrors = [], withoutProblem = [], accepted = [];
        foreach (var operation in operations)
        {
            foreach (var badCase in BadInputCases.For(operation, known))
            {
                requests++;
                var (status, contentType, body) = await SendAsync(badCase);
                if (status == 400 && body.Length == 0 && badCase.PathAndQuery.Contains("%00", StringComparison.Ordinal))
                    rejectedByServer++; // Kestrel refuses a NUL in the path before any application code runs, with a bare 400
                else if (status >= 500) serverErrors.Add($"{badCase} -> {status} {Clip(body)}");
                else if (status >= 400 && (contentType != "application/problem+json" || body.Length == 0)) withoutProblem.Add($"{badCase} -> {status} '{contentType}' {Clip(body)}");
                else if (status < 400 && operation.Method != "GET") accepted.Add($"{badCase} -> {status} {Clip(body)}");
            }
            progress?.Invoke($"{operation}: {requests} requests so far");
        }
        return new BadInputReport(requests, rejectedByServer, serverErrors, withoutProblem, accepted, ControlPlaneState.Difference(before, await readState()));
    }

    private async Task<(int Status, string? ContentType, string Body)> SendAsync(BadInputCase badCase)
    {
        using var request = new HttpRequestMessage(new HttpMethod(badCase.Operation.Method), new Uri(badCase.Operation.BaseAddress, badCase.PathAndQuery.TrimStart('/')));
        if (badCase.Body is { } body && badCase.Operation.Method != "GET")
            request.Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(badCase.ContentType));
        try
        {
            using var response = await admin.SendAsync(request);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException exception)
        {
            // The server closed the connection: an answer nobody can act on, counted with the 5xx.
            return (599, null, $"no answer: {exception.Message}");
        }
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
