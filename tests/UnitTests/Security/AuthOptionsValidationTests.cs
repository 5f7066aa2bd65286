using CloudBus.Security;
using CloudBus.ServiceDefaults.Security;

namespace CloudBus.UnitTests.Security;

/// <summary>A service never starts open to anyone: without a usable token source it stops and names the setting.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are POSIX
public sealed class AuthOptionsValidationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudbus-auth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string? Failure(AuthOptions options) => new AuthOptionsValidation().Validate(null, options).FailureMessage;

    [Fact]
    public void No_token_source_is_refused_and_the_message_says_how_to_make_a_key() =>
        Assert.Contains("cloudbus token new-key", Failure(new AuthOptions()), StringComparison.Ordinal);

    [Fact]
    public void Both_sources_are_refused() =>
        Assert.Contains("only one", Failure(new AuthOptions { SigningKeyFile = "/k", Authority = "https://idp" }), StringComparison.Ordinal);

    [Fact]
    public void A_good_key_file_or_an_authority_is_accepted()
    {
        var key = Path.Combine(_directory, "key");
        SecretFile.Write(key, OperatorTokens.NewKey());
        Assert.Null(Failure(new AuthOptions { SigningKeyFile = key }));
        Assert.Null(Failure(new AuthOptions { Authority = "https://idp.example" }));
    }

    [Fact]
    public void A_short_key_or_a_key_others_may_read_is_refused()
    {
        var shortKey = Path.Combine(_directory, "short");
        SecretFile.Write(shortKey, "too-short");
        Assert.Contains("at least 32", Failure(new AuthOptions { SigningKeyFile = shortKey }), StringComparison.Ordinal);

        var loose = Path.Combine(_directory, "loose");
        File.WriteAllText(loose, OperatorTokens.NewKey());
        File.SetUnixFileMode(loose, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Contains("Auth:SigningKeyFile", Failure(new AuthOptions { SigningKeyFile = loose }), StringComparison.Ordinal);
    }
}
