using System.ComponentModel.DataAnnotations;
using CloudBus.HaOrchestrator.Fencing;

namespace CloudBus.UnitTests.HaOrchestrator.Fencing;

public sealed class FencingOptionsTests
{
    private static List<string> Problems(FencingOptions options) =>
        options.Validate(new ValidationContext(options)).Select(result => result.ErrorMessage!).ToList();

    [Fact]
    public void Defaults_with_a_password_file_are_valid()
    {
        var options = new FencingOptions { BmcPasswordFile = "/etc/cloudbus/bmc-password" };

        Assert.Empty(Problems(options));
        Assert.Equal("admin", options.BmcUsername);
        Assert.Equal("ipmitool", options.IpmitoolPath);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BmcCallTimeout);
    }

    [Fact]
    public void A_password_is_required_and_the_message_names_both_files()
    {
        var problem = Assert.Single(Problems(new FencingOptions()));

        Assert.Contains("Fencing:BmcPasswordFile", problem);
        Assert.Contains("Fencing:BmcCredentialsFile", problem);
    }

    [Fact]
    public void Per_host_credentials_alone_are_enough()
    {
        Assert.Empty(Problems(new FencingOptions { BmcCredentialsFile = "/etc/cloudbus/bmc-credentials.json" }));
    }

    [Fact]
    public void A_password_given_as_a_value_is_refused_without_showing_it()
    {
        var problem = Assert.Single(Problems(new FencingOptions { BmcPasswordFile = "/run/bmc", BmcPassword = "hunter2" }));

        Assert.Contains("files only", problem);
        Assert.DoesNotContain("hunter2", problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(121)]
    public void Call_timeout_must_be_positive_and_at_most_two_minutes(int seconds)
    {
        var problem = Assert.Single(Problems(new FencingOptions { BmcPasswordFile = "/run/bmc", BmcCallTimeout = TimeSpan.FromSeconds(seconds) }));

        Assert.Contains("Fencing:BmcCallTimeout", problem);
    }

    [Fact]
    public void User_name_longer_than_ipmi_allows_is_refused()
    {
        Assert.Contains("Fencing:BmcUsername", Assert.Single(Problems(new FencingOptions { BmcPasswordFile = "/run/bmc", BmcUsername = new string('u', 17) })));
    }
}
