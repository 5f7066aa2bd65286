using System.Net;
using System.Net.Http.Headers;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Security;

namespace CloudBus.IntegrationTests.Security;

/// <summary>Changing requests are limited per caller (429 with Retry-After and a problem); reads and other callers are not.</summary>
public sealed class ChangeRateLimitTests : IAsyncLifetime
{
    private PrivateServers _servers = null!;
    private ServiceProcess _service = null!;

    public async Task InitializeAsync()
    {
        _servers = await PrivateServers.CreateAsync();
        // A bucket of 3 refilled by 1 a second: the fourth change in a row is over the limit.
        _service = ServiceProcess.Start("VmLifecycle", _servers.ServiceEnvironment(("RateLimit__ChangesPerSecond", "1"), ("RateLimit__Burst", "3")));
        await _service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Fact]
    public async Task A_caller_over_its_limit_gets_429_with_retry_after_while_reads_and_other_callers_go_on()
    {
        using var flood = Client("flood");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) answers.Add(await flood.PostAsync(Stop(), null));
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without Retry-After");
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
        Assert.Contains("RateLimit:ChangesPerSecond", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var answer in answers) answer.Dispose();

        using (var read = await flood.GetAsync(new Uri(_service.BaseAddress, "vms")))
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var other = Client("someone-else");
        using var change = await other.PostAsync(Stop(), null);
        Assert.Equal(HttpStatusCode.NotFound, change.StatusCode); // judged on its merits: no such VM
    }

    private Uri Stop() => new(_service.BaseAddress, $"vms/{Guid.NewGuid()}/stop");

    private static HttpClient Client(string subject)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(OperatorRoles.Operator, subject));
        return http;
    }
}
