using CloudBus.Security;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Secret files for settings that take only files (<c>*File</c>): mode 600, each in a temporary folder of its own.</summary>
public static class TestSecrets
{
    /// <returns>The file's path; <see cref="Delete"/> removes it with its folder.</returns>
    public static string NewFile(string secret)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cloudbus-test-secret-").FullName, "secret");
        SecretFile.Write(path, secret);
        return path;
    }

    /// <summary>A file with a random secret nobody needs to know (a setting required where it is not used).</summary>
    public static string NewRandomFile() => NewFile(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));

    public static void Delete(string path)
    {
        if (Path.GetDirectoryName(path) is { } folder && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
