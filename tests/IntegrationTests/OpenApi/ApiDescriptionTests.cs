using System.Text.Json;
using CloudBus.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.OpenApi;

/// <summary>
/// The OpenAPI documents the four control-plane services serve are complete: every operation
/// describes its success body with a schema and the problems (RFC 7807) it can answer, each with
/// when; and the <c>cloudbus</c> client asks only for what the documents describe
/// (<see cref="ClientCalls"/>). Against the real services, as a client reads them.
/// </summary>
public sealed class ApiDescriptionTests(ControlPlaneStack stack, ITestOutputHelper output) : IClassFixture<ControlPlaneStack>
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>The services by the names the CLI calls them.</summary>
    private IReadOnlyDictionary<string, ServiceProcess> Services => new Dictionary<string, ServiceProcess>
    {
        ["node-registry"] = stack.NodeRegistry, ["host-monitor"] = stack.HostMonitor,
        ["vm-lifecycle"] = stack.VmLifecycle, ["ha-orchestrator"] = stack.HaOrchestrator,
    };

    [Fact]
    public async Task Every_operation_describes_its_success_body_and_its_problems()
    {
        var operations = 0;
        foreach (var (name, service) in Services)
        {
            var document = await ApiDocument.FetchAsync(name, service.BaseAddress);
            foreach (var operation in document.Operations)
            {
                AssertDescribed(document, operation);
                operations++;
            }
        }
        output.WriteLine($"{operations} operations described");
        // A document gone empty would pass the loop.
        Assert.True(operations >= 30, $"only {operations} operations were described");
    }

    [Fact]
    public async Task The_cli_client_calls_only_described_operations_and_reads_and_sends_their_fields()
    {
        var documents = new Dictionary<string, ApiDocument>();
        foreach (var (name, service) in Services) documents[name] = await ApiDocument.FetchAsync(name, service.BaseAddress);
        var calls = await ClientCalls.RecordAsync();
        var checkedCalls = 0;
        foreach (var call in calls)
        {
            if (call.Service == ClientCalls.BackDoor)
            {
                // The simulated fleet's back door (HostAgent) serves no OpenAPI document to check against.
                output.WriteLine($"not checked (no document): {call}");
                continue;
            }
            Assert.True(documents.TryGetValue(call.Service, out var document), $"{call}: the CLI calls a service this test does not know");
            var operation = document.Find(call.Method, call.Path);
            Assert.True(operation is not null, $"{call}: {call.Service}'s document has no such operation");
            AssertReads(document, operation, call);
            AssertSends(document, operation, call);
            AssertQuery(operation, call);
            checkedCalls++;
        }
        output.WriteLine($"{checkedCalls} client calls checked");
        Assert.True(checkedCalls >= 15, $"only {checkedCalls} client calls were checked");
    }

    private static void AssertDescribed(ApiDocument document, ApiDocument.Operation operation)
    {
        var where = $"{document.Service} {operation}";
        var responses = operation.Body.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
        var successes = responses.Keys.Where(status => status.StartsWith('2')).ToList();
        Assert.True(successes.Count > 0, $"{where} describes no success");
        foreach (var status in successes.Where(status => status != "204"))
            Assert.True(document.ResponseSchema(operation, status) is { } schema && schema.EnumerateObject().Any(),
                $"{where} describes its {status} without a body schema");

        string[] common = operation.Method == "GET" ? ["401", "403", "500"] : ["401", "403", "429", "500"];
        foreach (var status in common) Assert.True(responses.ContainsKey(status), $"{where} does not describe {status}");
        // Whatever a client can get wrong in a query or a body answers 400.
        if (operation.Body.TryGetProperty("requestBody", out _) || HasQuery(operation))
            Assert.True(responses.ContainsKey("400"), $"{where} takes input but does not describe 400");

        foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
        {
            var problem = document.ResponseSchema(operation, status, ProblemJson);
            Assert.True(problem is not null, $"{where} describes {status} without an {ProblemJson} body");
            AssertProblemSchema(problem.Value, $"{where} {status}");
            // The framework's default is the bare reason phrase ("Not Found"); ours says when (a sentence).
            var description = response.TryGetProperty("description", out var text) ? text.GetString() : null;
            Assert.True(description is { Length: > 0 } && description.EndsWith('.'), $"{where} {status} does not say when: '{description}'");
        }
    }

    private static void AssertProblemSchema(JsonElement problem, string where)
    {
        var properties = problem.GetProperty("properties");
        foreach (var field in new[] { "type", "title", "status", "detail", "instance" })
            Assert.True(properties.TryGetProperty(field, out var property) && property.TryGetProperty("description", out _),
                $"{where}: the problem's {field} is not described");
    }

    private static bool HasQuery(ApiDocument.Operation operation) =>
        operation.Body.TryGetProperty("parameters", out var parameters)
        && parameters.EnumerateArray().Any(p => p.GetProperty("in").GetString() is "query" or "header");

    /// <summary>Every field the CLI reads is one the service writes (a list: of its items).</summary>
    private static void AssertReads(ApiDocument document, ApiDocument.Operation operation, ClientCalls.ClientCall call)
    {
        var status = operation.Body.GetProperty("responses").EnumerateObject().Select(r => r.Name).FirstOrDefault(s => s.StartsWith('2'));
        Assert.True(status is not null && document.ResponseSchema(operation, status) is not null, $"{call}: {operation} describes no success body");
        var schema = document.ResponseSchema(operation, status!)!.Value;
        if (call.ReadsList)
            schema = document.Items(schema) ?? throw new Xunit.Sdk.XunitException($"{call}: the CLI reads a list, {operation} answers {schema}");
        var written = ApiDocument.PropertyNames(schema);
        var missing = call.Reads.Where(name => !written.Contains(name)).ToList();
        Assert.True(missing.Count == 0, $"{call}: the CLI reads {string.Join(", ", missing)}, which {operation} does not answer");
    }

    /// <summary>The CLI sends only fields the service takes (unknown ones are refused) and every field it requires.</summary>
    private static void AssertSends(ApiDocument document, ApiDocument.Operation operation, ClientCalls.ClientCall call)
    {
        var schema = document.RequestSchema(operation);
        if (call.Sends is null)
        {
            Assert.False(schema is { } body && ApiDocument.RequiredNames(body).Count > 0, $"{call}: sends no body, {operation} requires one");
            return;
        }
        Assert.True(schema is not null, $"{call}: sends a body, {operation} takes none");
        var taken = ApiDocument.PropertyNames(schema.Value);
        var unknown = call.Sends.Where(name => !taken.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"{call}: sends {string.Join(", ", unknown)}, which {operation} does not take");
        var missing = ApiDocument.RequiredNames(schema.Value).Where(name => !call.Sends.Contains(name)).ToList();
        Assert.True(missing.Count == 0, $"{call}: does not send {string.Join(", ", missing)}, which {operation} requires");
    }

    private static void AssertQuery(ApiDocument.Operation operation, ClientCalls.ClientCall call)
    {
        foreach (var query in call.Query)
            Assert.True(operation.Body.TryGetProperty("parameters", out var parameters)
                        && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == query),
                $"{call}: sends ?{query}=, which {operation} does not take");
    }
}
