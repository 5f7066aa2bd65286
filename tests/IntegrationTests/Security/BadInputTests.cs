using CloudBus.Bench.BadInput;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.VmLifecycle.Api;
using Xunit.Abstractions;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// Bad input over every route of the four services (NUL and control characters, 5 KB and 100 KB
/// strings, huge and negative numbers, undefined enum values, wrong shapes, malformed JSON, unknown
/// and path-like ids): each answered 4xx with problem details, none 5xx, no changing request
/// accepted, and the control plane's state unchanged. `./bench.sh badinput` runs the same suite.
/// </summary>
public sealed class BadInputTests(ControlPlaneStack stack, ITestOutputHelper output) : IClassFixture<ControlPlaneStack>
{
    [Fact]
    public async Task Every_route_answers_bad_input_with_a_4xx_problem_and_changes_nothing()
    {
        await stack.RegisterFleetAsync();
        var vm = await stack.PostAsync<VmView>(stack.VmLifecycle, "vms", new { name = "bad-input-target", cpuCores = 1, memoryMib = 64, haLevel = "OnHostFailure", restartPriority = 1 });
        var known = new KnownIds(stack.FleetHostIds[0], vm.VmId, Guid.NewGuid(), "vm-lifecycle");

        var report = await new BadInputSuite(stack.Http).RunAsync(
            [("NodeRegistry", stack.NodeRegistry.BaseAddress), ("HostMonitor", stack.HostMonitor.BaseAddress),
             ("VmLifecycle", stack.VmLifecycle.BaseAddress), ("HaOrchestrator", stack.HaOrchestrator.BaseAddress)],
            known, () => ControlPlaneState.ReadAsync(stack.Http, stack.VmLifecycle.BaseAddress, stack.HaOrchestrator.BaseAddress));

        output.WriteLine($"{report.Requests} bad requests\n{report.Describe()}");
        Assert.True(report.Requests > 400, $"only {report.Requests} requests: are the OpenAPI documents complete?");
        Assert.True(report.ServerErrors.Count == 0 && report.ErrorsWithoutProblem.Count == 0 && report.ChangesAccepted.Count == 0 && !report.StateChanged,
            report.Describe());
    }
}
