using CloudBus.ServiceDefaults.Database;

namespace CloudBus.UnitTests.ServiceDefaults;

public sealed class MigrationScriptTests
{
    [Theory]
    [InlineData(typeof(CloudBus.VmLifecycle.Persistence.VmStore), "0001_hosts_and_vms")]
    [InlineData(typeof(CloudBus.HostMonitor.Persistence.VmViewStore), "0001_hosts_and_vm_view")]
    [InlineData(typeof(CloudBus.NodeRegistry.Persistence.MemberStore), "0001_members")]
    [InlineData(typeof(CloudBus.HaOrchestrator.Incidents.IncidentStore), "0001_incidents")]
    public void Each_service_embeds_its_numbered_migrations_in_order(Type serviceType, string first)
    {
        var scripts = MigrationScript.LoadEmbedded(serviceType.Assembly);
        Assert.NotEmpty(scripts);
        Assert.Equal(first, scripts[0].Name);
        Assert.Equal(1, scripts[0].Version);
        Assert.Equal(scripts.Select(s => s.Version).Order(), scripts.Select(s => s.Version));
        Assert.All(scripts, s => Assert.False(string.IsNullOrWhiteSpace(s.Sql)));
    }
}
