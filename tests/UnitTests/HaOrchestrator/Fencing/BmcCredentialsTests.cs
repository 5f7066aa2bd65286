using CloudBus.HaOrchestrator.Fencing;
using CloudBus.Security;

namespace CloudBus.UnitTests.HaOrchestrator.Fencing;

/// <summary>Which login fencing uses for a host's BMC: its own from the credentials file, else the shared one; never a secret in an error.</summary>
public sealed class BmcCredentialsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudbus-bmc-credentials-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_host_with_an_entry_logs_in_with_its_own_user_and_password()
    {
        var settings = new FencingOptions
        {
            BmcCredentialsFile = Secret("credentials.json", """{"kvm-1": {"username": "fence-kvm1", "password": "s3cret-1"}}"""),
            BmcPasswordFile = Secret("shared", "shared-password"),
        };

        Assert.Equal((new BmcLogin("fence-kvm1", "s3cret-1"), (string?)null), BmcCredentials.For("kvm-1", settings));
        Assert.Equal((new BmcLogin("admin", "shared-password"), (string?)null), BmcCredentials.For("kvm-2", settings));
    }

    [Fact]
    public void A_host_without_an_entry_and_no_shared_password_is_named_with_the_file()
    {
        var file = Secret("credentials.json", """{"kvm-1": {"username": "fence", "password": "s3cret-1"}}""");

        var (login, problem) = BmcCredentials.For("kvm-2", new FencingOptions { BmcCredentialsFile = file });

        Assert.Null(login);
        Assert.Contains("kvm-2", problem);
        Assert.Contains(file, problem);
        Assert.Contains("Fencing:BmcPasswordFile", problem);
    }

    [Theory]
    [InlineData("""{"kvm-1": {"username": "fence", "password": "s3cret-1"}""")] // cut short
    [InlineData("""["kvm-1", "s3cret-1"]""")]
    [InlineData("""{"kvm-1": {"username": "a-user-name-longer-than-16", "password": "s3cret-1"}}""")]
    [InlineData("""{"kvm-1": {"username": "fence", "password": ""}}""")]
    public void A_malformed_file_is_refused_without_quoting_it(string text)
    {
        var (login, problem) = BmcCredentials.For("kvm-1", new FencingOptions { BmcCredentialsFile = Secret("credentials.json", text), BmcPasswordFile = Secret("shared", "shared-password") });

        Assert.Null(login);
        Assert.Contains("Fencing:BmcCredentialsFile", problem);
        Assert.DoesNotContain("s3cret-1", problem);
    }

    [Fact]
    public void A_credentials_file_others_may_read_is_refused()
    {
        var file = Secret("credentials.json", """{"kvm-1": {"username": "fence", "password": "s3cret-1"}}""");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (login, problem) = BmcCredentials.For("kvm-1", new FencingOptions { BmcCredentialsFile = file });

        Assert.Null(login);
        Assert.Contains("chmod 600", problem);
    }

    private string Secret(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        SecretFile.Write(path, text);
        return path;
    }
}
