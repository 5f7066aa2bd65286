using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Broker;

namespace CloudBus.IntegrationTests.Security;

/// <summary>`cloudbus accounts broker` prints, for each service, the user and exactly the permissions the least-privilege tests run under.</summary>
public sealed class AccountCommandTests
{
    [Fact]
    public async Task The_broker_commands_give_each_service_its_own_user_with_its_permissions_and_no_password_on_a_command_line()
    {
        var printed = await CliProcess.RunAsync("accounts", "broker", "--vhost", "prod", "--password-dir", "/etc/cb");

        Assert.True(printed.ExitCode == 0, printed.Error);
        foreach (var service in BrokerPermissions.All)
        {
            var user = $"cloudbus-{service.Service}";
            Assert.Contains($"rabbitmqctl add_user {user} < '/etc/cb/{user}.password'", printed.Output, StringComparison.Ordinal);
            Assert.Contains($"rabbitmqctl set_permissions -p 'prod' {user} '{service.Configure}' '{service.Write}' '{service.Read}'", printed.Output, StringComparison.Ordinal);
        }
    }
}
