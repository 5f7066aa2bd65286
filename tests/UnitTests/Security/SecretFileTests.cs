using CloudBus.Security;

namespace CloudBus.UnitTests.Security;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are POSIX
public sealed class SecretFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cloudbus-secret-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_written_secret_is_for_its_owner_only_and_reads_back_without_its_line_break()
    {
        var path = Path.Combine(_directory, "key");
        SecretFile.Write(path, "s3cret");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("s3cret", SecretFile.Read(path, "Test:KeyFile"));
    }

    [Fact]
    public void An_existing_file_is_never_overwritten()
    {
        var path = Path.Combine(_directory, "key");
        SecretFile.Write(path, "first");
        Assert.Throws<IOException>(() => SecretFile.Write(path, "second"));
        Assert.Equal("first", SecretFile.Read(path, "Test:KeyFile"));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "644")]
    public void A_file_others_may_read_is_refused_with_the_setting_and_the_fix(UnixFileMode mode, string octal)
    {
        var path = Path.Combine(_directory, "key");
        File.WriteAllText(path, "s3cret");
        File.SetUnixFileMode(path, mode);
        var refusal = Assert.Throws<SecretFileException>(() => SecretFile.Read(path, "Test:KeyFile"));
        Assert.Contains("Test:KeyFile", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"mode {octal}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_empty_file_is_refused()
    {
        var missing = Assert.Throws<SecretFileException>(() => SecretFile.Read(Path.Combine(_directory, "none"), "Test:KeyFile"));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var empty = Path.Combine(_directory, "empty");
        SecretFile.Write(empty, "");
        Assert.Contains("is empty", Assert.Throws<SecretFileException>(() => SecretFile.Read(empty, "Test:KeyFile")).Message, StringComparison.Ordinal);
    }
}
