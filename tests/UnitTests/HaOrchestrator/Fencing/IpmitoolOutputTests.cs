using CloudBus.HaOrchestrator.Fencing;

namespace CloudBus.UnitTests.HaOrchestrator.Fencing;

/// <summary>What ipmitool 1.8 prints (with -v) for each answer a BMC gives, as seen against ipmi_sim.</summary>
public sealed class IpmitoolOutputTests
{
    private static readonly BmcEndpoint Bmc = new("127.0.0.1", 9623);
    private const string Chatter = "Loading IANA PEN Registry...\nRunning Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\n" +
                                   "Invalid completion code received: Invalid command\nDiscovered IPMB address 0x0\n";

    [Theory]
    [InlineData("Chassis Power is on\n", BmcPowerState.On)]
    [InlineData("Chassis Power is off\n", BmcPowerState.Off)]
    public void Power_status_is_read_from_the_status_line(string stdout, BmcPowerState expected)
    {
        var result = IpmitoolOutput.ReadPowerStatus(Bmc, "admin", 0, stdout, Chatter);

        Assert.True(result.Succeeded);
        Assert.Equal(expected, result.Power);
    }

    [Fact]
    public void Power_off_succeeds_when_the_bmc_confirms_it()
    {
        var result = IpmitoolOutput.ReadPowerOff(Bmc, "admin", 0, "Chassis Power Control: Down/Off\n", Chatter);

        Assert.Equal(BmcPowerState.Off, result.Power);
    }

    [Fact]
    public void System_guid_is_read_in_lower_case_from_its_line()
    {
        const string stdout = "System GUID   : 1DC82E32-90fe-52eb-c369-e44ee12e1133\nGUID Encoding : IPMI\nGUID Version  : Name-based using SHA-1\n";

        var result = IpmitoolOutput.ReadGuid(Bmc, "admin", 0, stdout, Chatter);

        Assert.Equal("1dc82e32-90fe-52eb-c369-e44ee12e1133", result.SystemGuid);
        Assert.Equal("GUID 1dc82e32-90fe-52eb-c369-e44ee12e1133", result.ToString());
    }

    [Fact]
    public void Output_without_a_guid_is_a_bmc_error_and_no_identity()
    {
        var result = IpmitoolOutput.ReadGuid(Bmc, "admin", 0, "GUID Encoding : IPMI\n", "");

        Assert.Equal(BmcFailure.BmcError, result.Failure);
        Assert.Null(result.SystemGuid);
    }

    [Fact]
    public void Output_without_a_power_state_is_a_bmc_error()
    {
        var result = IpmitoolOutput.ReadPowerStatus(Bmc, "admin", 0, "something else\n", "");

        Assert.Equal(BmcFailure.BmcError, result.Failure);
        Assert.Contains("something else", result.Error);
    }

    [Theory]
    [InlineData("> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n")]
    [InlineData("RAKP 2 message indicates an error : unauthorized name\nError: Unable to establish IPMI v2 / RMCP+ session\n")]
    public void Refused_login_is_a_credential_error_that_names_the_user_and_the_settings(string stderr)
    {
        var result = IpmitoolOutput.ReadPowerOff(Bmc, "operator", 1, "", "Loading IANA PEN Registry...\n" + stderr);

        Assert.Equal(BmcFailure.CredentialsRejected, result.Failure);
        Assert.Contains("127.0.0.1:9623", result.Error);
        Assert.Contains("'operator'", result.Error);
        Assert.Contains("Fencing:BmcPasswordFile", result.Error);
        Assert.DoesNotContain("IANA", result.Error);
    }

    [Fact]
    public void No_answer_after_ipmitools_retries_is_unreachable()
    {
        var result = IpmitoolOutput.ReadPowerStatus(Bmc, "admin", 1, "",
            "Loading IANA PEN Registry...\nGet Auth Capabilities error\nError issuing Get Channel Authentication Capabilities request\n" +
            "Error: Unable to establish IPMI v2 / RMCP+ session\n");

        Assert.Equal(BmcFailure.Unreachable, result.Failure);
    }

    [Fact]
    public void An_error_from_the_bmc_itself_is_a_bmc_error_with_its_message()
    {
        // What ipmi_sim answers when its chassis hook fails (the agent behind it is down).
        var result = IpmitoolOutput.ReadPowerOff(Bmc, "admin", 1, "", Chatter + "Set Chassis Power Control to Down/Off failed: Unspecified error\n");

        Assert.Equal(BmcFailure.BmcError, result.Failure);
        Assert.Equal("The BMC at 127.0.0.1:9623 answered with an error: Set Chassis Power Control to Down/Off failed: Unspecified error", result.Error);
    }
}
