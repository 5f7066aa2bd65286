using CloudBus.HaOrchestrator.Fencing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudBus.UnitTests.HaOrchestrator.Fencing;

/// <summary>Failures found before any ipmitool runs (the real calls are in the integration tests).</summary>
public sealed class IpmiPowerClientTests
{
    private static readonly BmcEndpoint Bmc = new("127.0.0.1", 9);

    private static IpmiPowerClient Client(FencingOptions options) =>
        new(Options.Create(options), TimeProvider.System, NullLogger<IpmiPowerClient>.Instance);

    [Fact]
    public async Task Missing_password_file_is_reported_with_its_setting_and_path()
    {
        // ipmitool would be missing too: the password is checked first, so that error never shows.
        var client = Client(new FencingOptions { BmcPasswordFile = "/nonexistent/bmc-password", IpmitoolPath = "/nonexistent/ipmitool" });

        var result = await client.PowerOffAsync("kvm-1", Bmc, CancellationToken.None);

        Assert.Equal(BmcFailure.PasswordUnavailable, result.Failure);
        Assert.Contains("Fencing:BmcPasswordFile", result.Error);
        Assert.Contains("/nonexistent/bmc-password", result.Error);
    }

    [Fact]
    public async Task Empty_password_file_is_reported()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "\n");
            var result = await Client(new FencingOptions { BmcPasswordFile = file }).GetPowerAsync("kvm-1", Bmc, CancellationToken.None);

            Assert.Equal(BmcFailure.PasswordUnavailable, result.Failure);
            Assert.Contains("empty", result.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Missing_ipmitool_is_reported_with_the_setting_to_fix()
    {
        var folder = Directory.CreateTempSubdirectory("cloudbus-ipmi-test-").FullName;
        try
        {
            var passwordFile = Path.Combine(folder, "bmc-password");
            CloudBus.Security.SecretFile.Write(passwordFile, "a-bmc-password");
            var client = Client(new FencingOptions { BmcPasswordFile = passwordFile, IpmitoolPath = "/nonexistent/ipmitool" });

            var result = await client.GetPowerAsync("kvm-1", Bmc, CancellationToken.None);

            Assert.Equal(BmcFailure.IpmitoolMissing, result.Failure);
            Assert.Contains("Fencing:IpmitoolPath", result.Error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
