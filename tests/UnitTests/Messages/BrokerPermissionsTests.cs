using System.Text.RegularExpressions;
using CloudBus.Messages.Broker;
using CloudBus.Messages.Vms;

namespace CloudBus.UnitTests.Messages;

/// <summary>What each service's broker user may touch, as RabbitMQ matches the regexes.</summary>
public sealed class BrokerPermissionsTests
{
    [Theory]
    [InlineData("host-monitor-vm-trace", true)]
    [InlineData("host-monitor-1a2b3c4d-routed", true)]
    [InlineData("CloudBus.Messages.Hosts:HostStatusChanged", true)]
    [InlineData("MassTransit:Fault--CloudBus.Messages.Vms:VmTraceSkipped--", true)]
    [InlineData("vm-lifecycle-commands", false)]
    [InlineData("CloudBus.Messages.Vms:StartVm", false)]
    [InlineData("CloudBus.Messages.Hosts:HostRegistered", false)]
    [InlineData("ha-orchestrator-fence-host", false)]
    [InlineData("amq.default", false)]
    [InlineData("", false)]
    public void Host_monitor_writes_only_to_its_own_exchanges_and_the_events_it_publishes(string exchange, bool allowed) =>
        Assert.Equal(allowed, Regex.IsMatch(exchange, BrokerPermissions.HostMonitor.Write));

    [Fact]
    public void Only_ha_orchestrator_may_send_vm_commands_and_nobody_publishes_a_command_type()
    {
        var commandTypes = new[] { typeof(StartVm), typeof(StopVm), typeof(ReleaseFencedHost), typeof(CreateVm) }.Select(ServicePermissions.ExchangeOf).ToList();

        Assert.Equal(["ha-orchestrator", "vm-lifecycle"],
            BrokerPermissions.All.Where(p => Regex.IsMatch(VmCommands.QueueName, p.Write)).Select(p => p.Service).Order());
        Assert.All(BrokerPermissions.All, p => Assert.DoesNotContain(commandTypes, type => Regex.IsMatch(type, p.Write)));
        Assert.All(commandTypes, type => Assert.Matches(BrokerPermissions.VmLifecycle.Read, type));
    }

    [Fact]
    public void A_service_is_found_by_its_project_or_bus_name()
    {
        Assert.Same(BrokerPermissions.HaOrchestrator, BrokerPermissions.Of("HaOrchestrator"));
        Assert.Same(BrokerPermissions.HaOrchestrator, BrokerPermissions.Of("ha-orchestrator"));
        Assert.Null(BrokerPermissions.Of("HostAgent"));
    }
}
