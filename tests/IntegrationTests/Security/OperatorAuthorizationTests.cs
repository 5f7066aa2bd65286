using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Security;
using CloudBus.ServiceDefaults.Security;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// Every route of the four control-plane services, as each describes itself in its OpenAPI
/// document, asks for a token: without one 401, with a role too weak 403, with the right role the
/// route's own answer. Health stays open. Changing requests land in the audit log, refused ones too.
/// </summary>
public sealed class OperatorAuthorizationTests(ControlPlaneStack stack, ITestOutputHelper output) : IClassFixture<ControlPlaneStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IEnumerable<(string Name, ServiceProcess Process)> Services =>
    [
        ("NodeRegistry", stack.NodeRegistry), ("HostMonitor", stack.HostMonitor),
        ("VmLifecycle", stack.VmLifecycle), ("HaOrchestrator", stack.HaOrchestrator),
    ];

    [Fact]
    public async Task Every_route_needs_a_token_refuses_too_weak_a_role_and_answers_the_right_one()
    {
        var checkedRoutes = 0;
        foreach (var (name, service) in Services)
        {
            var routes = await RouteCatalog.OfAsync(name, service.BaseAddress);
            Assert.Contains(routes, r => r.Path == "/audit");
            foreach (var route in routes)
            {
                await AssertAnswerAsync(route, service, token: null, HttpStatusCode.Unauthorized);
                var weaker = OperatorRoles.All.TakeWhile(role => role != route.Role).LastOrDefault();
                if (weaker is not null)
                {
                    var refusal = await AssertAnswerAsync(route, service, TestTokens.For(weaker), HttpStatusCode.Forbidden);
                    Assert.Contains(route.Role, refusal, StringComparison.Ordinal);
                }
                var answer = await SendAsync(route, service, TestTokens.For(route.Role));
                Assert.True(answer.Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{route} with a {route.Role} token answered {(int)answer.Status}: {answer.Body}");
                checkedRoutes++;
            }
        }
        output.WriteLine($"{checkedRoutes} routes checked");
        // The four services describe at least their known routes (a document gone empty would pass the loop).
        Assert.True(checkedRoutes >= 30, $"only {checkedRoutes} routes were described");
    }

    [Fact]
    public async Task Tokens_that_are_expired_signed_with_another_key_or_for_another_audience_are_refused()
    {
        var key = SecretFile.Read(TestServers.SigningKeyFile, "Auth__SigningKeyFile");
        string[] bad =
        [
            OperatorTokens.Mint(key, "mallory", OperatorRoles.Admin, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddHours(-1)),
            OperatorTokens.Mint(OperatorTokens.NewKey(), "mallory", OperatorRoles.Admin, TimeSpan.FromHours(1), DateTimeOffset.UtcNow),
            OperatorTokens.Mint(key, "mallory", OperatorRoles.Admin, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, audience: "another-system"),
            OperatorTokens.Mint(key, "mallory", OperatorRoles.Admin, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, issuer: "another-issuer"),
            "not-a-token",
        ];
        foreach (var token in bad)
        {
            var answer = await SendAsync(new RouteCatalog.Route("VmLifecycle", "GET", "/vms", OperatorRoles.Viewer), stack.VmLifecycle, token);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            Assert.Contains("not valid", answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        using var http = new HttpClient { Timeout = Timeout };
        foreach (var (_, service) in Services)
        {
            using var live = await http.GetAsync(new Uri(service.BaseAddress, "health/live"));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            using var ready = await http.GetAsync(new Uri(service.BaseAddress, "health/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    [Fact]
    public async Task Changing_requests_are_audited_with_who_what_and_the_answer_and_only_admins_read_the_log()
    {
        var subject = "auditor-" + Guid.NewGuid().ToString("N")[..6];
        var vmId = Guid.NewGuid();
        using (var asOperator = Client(TestTokens.For(OperatorRoles.Operator, subject)))
        using (var refused = await asOperator.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, "hosts"), new { hostId = "x" }))
        using (var unknown = await asOperator.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"vms/{vmId}/start"), new { }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (var anonymous = new HttpClient { Timeout = Timeout })
        using (var noToken = await anonymous.PostAsJsonAsync(new Uri(stack.VmLifecycle.BaseAddress, $"vms/{vmId}/stop"), new { }))
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);

        var page = await Eventually.ReturnsAsync(() => stack.GetAsync<AuditPage>(stack.VmLifecycle, "audit?limit=50"),
            p => p.Records.Any(r => r.Path == $"/vms/{vmId}/stop"), Timeout, "the refused anonymous stop in the audit log");
        var mine = page.Records.Where(r => r.Subject == subject).ToList();
        Assert.Contains(mine, r => r is { Method: "POST", Path: "/hosts", Status: 403, Role: OperatorRoles.Operator });
        Assert.Contains(mine, r => r.Method == "POST" && r.Path == $"/vms/{vmId}/start" && r.Status == 404);
        Assert.Contains(page.Records, r => r.Subject == "anonymous" && r.Path == $"/vms/{vmId}/stop" && r.Status == 401);
        Assert.DoesNotContain(page.Records, r => r.Method == "GET");

        using var asOperatorAgain = Client(TestTokens.For(OperatorRoles.Operator, subject));
        using var forbidden = await asOperatorAgain.GetAsync(new Uri(stack.VmLifecycle.BaseAddress, "audit"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static HttpClient Client(string token)
    {
        var http = new HttpClient { Timeout = Timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<string> AssertAnswerAsync(RouteCatalog.Route route, ServiceProcess service, string? token, HttpStatusCode expected)
    {
        var answer = await SendAsync(route, service, token);
        Assert.True(answer.Status == expected, $"{route} with {(token is null ? "no token" : "a weaker token")} answered {(int)answer.Status}, not {(int)expected}: {answer.Body}");
        Assert.Equal("application/problem+json", answer.ContentType);
        return answer.Body;
    }

    private static async Task<(HttpStatusCode Status, string Body, string? ContentType)> SendAsync(RouteCatalog.Route route, ServiceProcess service, string? token)
    {
        using var http = new HttpClient { Timeout = Timeout };
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.On(service.BaseAddress));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (route.Method != "GET") request.Content = JsonContent.Create(new { });
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }
}
