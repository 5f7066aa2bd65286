using System.Net;
using System.Net.Http.Headers;
using CloudBus.HostAgent.Simulation;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Security;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.WebConsole;

/// <summary>
/// The web console in a real headless Chromium against a whole stack: the fleet appears, a host's
/// power cut shows as a failing host and an incident, and then as that incident Restarted with its
/// VM running on another host, each stage kept as a screenshot in TestResults/console/.
/// </summary>
public sealed class ConsoleTests(HaStack stack, ITestOutputHelper output) : IClassFixture<HaStack>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_host_failure_appears_on_the_page_and_resolves_with_its_vm_running_elsewhere()
    {
        await stack.RegisterFleetAsync();
        var failing = stack.FleetHostIds[2];
        var vm = await HaVms.StartAsync(stack, "console-db", failing, "OnHostFailure");
        await using var console = await ConsoleProcess.StartAsync(stack);
        await using var browser = await HeadlessChromium.StartAsync();
        var page = new ConsolePage(browser);
        await browser.NavigateAsync(new Uri(console.BaseAddress, $"#token={TestTokens.For(OperatorRoles.Viewer)}"));

        var fleet = await ShowsAsync(page, shown => shown.Hosts.Count == stack.FleetHostIds.Count
            && shown.Hosts.Single(h => h.HostId == failing).Vms.Contains($"{vm.Name}:Running"), "the fleet, with the VM running on its host");
        Assert.All(fleet.Hosts, host => Assert.Equal("Connected", host.Status));
        Assert.Contains("host-monitor:1", fleet.Rings);
        await KeepAsync(browser, "1-fleet.png");

        await stack.PostAsync<FleetHostView>(stack.BackDoor, $"hosts/{failing}/faults/power-off", new { });
        try
        {
            await ShowsAsync(page, shown => shown.Hosts.Single(h => h.HostId == failing).Status != "Connected"
                && shown.Incidents.Any(i => i.HostId == failing), $"{failing} failing and its incident");
            await KeepAsync(browser, "2-failure.png");

            var resolved = await ShowsAsync(page, shown => shown.Incidents.Any(i => i.HostId == failing && i.Status == "Restarted")
                && shown.Hosts.Any(h => h.HostId != failing && h.Vms.Contains($"{vm.Name}:Running")), "the incident Restarted, the VM running elsewhere");
            Assert.Equal("Down", resolved.Hosts.Single(h => h.HostId == failing).Status);
            Assert.DoesNotContain(resolved.Hosts.Single(h => h.HostId == failing).Vms, shown => shown.StartsWith(vm.Name, StringComparison.Ordinal));
            Assert.Contains("Fenced", resolved.TimelineSteps);
            Assert.Contains("VM Running", resolved.TimelineSteps);
            await KeepAsync(browser, "3-restarted.png");
        }
        finally
        {
            await stack.PostAsync<FleetHostView>(stack.BackDoor, $"hosts/{failing}/faults/power-on", new { });
        }
    }

    [Fact]
    public async Task Without_a_good_token_the_page_asks_for_one_and_the_proxy_only_reads_known_services()
    {
        await using var console = await ConsoleProcess.StartAsync(stack);
        await using var browser = await HeadlessChromium.StartAsync();
        var page = new ConsolePage(browser);

        await browser.NavigateAsync(console.BaseAddress);
        await ShowsAsync(page, shown => shown.AsksForToken && shown.TokenReason.Contains("No token", StringComparison.Ordinal), "the token panel");
        await browser.NavigateAsync(new Uri(console.BaseAddress, "?again#token=not-a-token"));
        await ShowsAsync(page, shown => shown.AsksForToken && shown.TokenReason.Contains("refused", StringComparison.Ordinal), "the token refused");

        // The console holds no credential: a call without a token is the service's own 401.
        using var http = new HttpClient { BaseAddress = console.BaseAddress };
        using (var anonymous = await http.GetAsync(new Uri("api/vm-lifecycle/hosts", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(OperatorRoles.Admin));
        using (var unknown = await http.GetAsync(new Uri("api/no-such-service/hosts", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("Unknown service", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Even an admin's token does not make the console change anything.
        using var post = await http.PostAsync(new Uri("api/vm-lifecycle/vms", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
    }

    private static Task<ConsolePage.Shown> ShowsAsync(ConsolePage page, Func<ConsolePage.Shown, bool> condition, string what) =>
        Eventually.ReturnsAsync(page.ReadAsync, condition, Timeout, $"the console to show {what}");

    private async Task KeepAsync(HeadlessChromium browser, string name)
    {
        var path = ConsoleProcess.ArtifactPath(name);
        await browser.ScreenshotAsync(path);
        output.WriteLine($"screenshot: {path}");
    }
}
