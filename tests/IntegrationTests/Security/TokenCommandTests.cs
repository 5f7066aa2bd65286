using System.Net;
using System.Net.Http.Headers;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Security;

/// <summary>`cloudbus token` as the README tells operators to use it, against real services.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are POSIX
public sealed class TokenCommandTests(ControlPlaneStack stack) : IClassFixture<ControlPlaneStack>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudbus-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_minted_token_opens_the_routes_of_its_role_and_no_more()
    {
        var minted = await CliProcess.RunAsync("token", "mint", "--key-file", TestServers.SigningKeyFile, "--role", "viewer", "--subject", "carol");
        Assert.True(minted.ExitCode == 0, minted.Error);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", minted.Output.Trim());

        using var read = await http.GetAsync(new Uri(stack.VmLifecycle.BaseAddress, "vms"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var change = await http.PostAsync(new Uri(stack.VmLifecycle.BaseAddress, $"vms/{Guid.NewGuid()}/stop"), null);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Contains("'carol' has viewer", await change.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_key_writes_a_file_for_its_owner_only_and_never_overwrites_one()
    {
        var key = Path.Combine(_directory, "signing.key");
        var created = await CliProcess.RunAsync("token", "new-key", "--out", key);
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        var before = await File.ReadAllTextAsync(key);

        var again = await CliProcess.RunAsync("token", "new-key", "--out", key);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(key));
    }

    [Fact]
    public async Task Mint_refuses_an_unknown_role_and_a_key_file_others_may_read_and_says_why()
    {
        var unknownRole = await CliProcess.RunAsync("token", "mint", "--key-file", TestServers.SigningKeyFile, "--role", "root", "--subject", "eve");
        Assert.NotEqual(0, unknownRole.ExitCode);
        Assert.Contains("'root' not recognized", unknownRole.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", unknownRole.Output, StringComparison.Ordinal); // no token printed

        var loose = Path.Combine(_directory, "loose.key");
        await File.WriteAllTextAsync(loose, new string('k', 64));
        File.SetUnixFileMode(loose, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var refused = await CliProcess.RunAsync("token", "mint", "--key-file", loose, "--role", "admin", "--subject", "eve");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("chmod 600", refused.Error, StringComparison.Ordinal);
    }
}
