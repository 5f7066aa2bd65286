using CloudBus.HaOrchestrator.Fencing;

namespace CloudBus.UnitTests.HaOrchestrator.Fencing;

public sealed class IpmitoolCommandTests
{
    private const string Password = "s3cret-Passw0rd";

    [Fact]
    public void Password_goes_to_the_environment_and_never_to_the_arguments()
    {
        var start = IpmitoolCommand.StartInfo("ipmitool", new BmcEndpoint("10.0.0.7", 623), "admin", Password, ["chassis", "power", "off"]);

        Assert.DoesNotContain(start.ArgumentList, argument => argument.Contains(Password, StringComparison.Ordinal));
        Assert.DoesNotContain(Password, start.Arguments);
        Assert.Contains("-E", start.ArgumentList);
        Assert.DoesNotContain("-P", start.ArgumentList);
        Assert.Equal(Password, start.Environment[IpmitoolCommand.PasswordVariable]);
    }

    [Fact]
    public void Ipmitool_inherits_nothing_of_the_services_environment_but_its_path()
    {
        var secret = "CLOUDBUS_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secret, "broker-password");
        try
        {
            var start = IpmitoolCommand.StartInfo("ipmitool", new BmcEndpoint("10.0.0.7", 623), "admin", Password, ["chassis", "power", "off"]);

            Assert.Equal(["IPMI_PASSWORD", "LC_ALL", "PATH"], start.Environment.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(Environment.GetEnvironmentVariable("PATH"), start.Environment["PATH"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public void Command_names_the_bmc_user_cipher_suite_and_chassis_command()
    {
        var start = IpmitoolCommand.StartInfo("/usr/bin/ipmitool", new BmcEndpoint("10.0.0.7", 6230), "fencer", Password, ["chassis", "power", "status"]);

        Assert.Equal("/usr/bin/ipmitool", start.FileName);
        Assert.Equal(["-I", "lanplus", "-H", "10.0.0.7", "-p", "6230", "-U", "fencer", "-E", "-C", "3", "-v", "chassis", "power", "status"], start.ArgumentList);
        // No terminal to prompt on: ipmitool must never wait for a typed password.
        Assert.True(start.RedirectStandardInput);
    }
}
