namespace CloudBus.Security;

/// <summary>
/// Reads a secret (a password, a signing key) from a file, the only place secrets come from: not
/// from command lines, which every local user can read. A file that others may read is refused,
/// as ssh refuses a private key with loose permissions.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode OthersMayAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // What example files and templates say where a real secret belongs: a service started with one
    // of these would run with a password everybody knows.
    private static readonly string[] Placeholders = ["change-me", "changeme", "change_me", "password", "secret", "guest"];

    /// <summary>The file's text without its trailing line break.</summary>
    /// <param name="setting">The setting that named the file, for the error message.</param>
    /// <exception cref="SecretFileException">The file is missing, empty, readable by others, or holds a placeholder.</exception>
    public static string Read(string path, string setting)
    {
        if (!File.Exists(path)) throw new SecretFileException($"{setting}: the secret file '{path}' does not exist.");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersMayAccess) != 0)
            throw new SecretFileException(
                $"{setting}: the secret file '{path}' may be read by other users (mode {Octal(File.GetUnixFileMode(path))}); make it 600 (chmod 600 '{path}').");
        var text = File.ReadAllText(path).TrimEnd('\r', '\n');
        if (text.Length == 0) throw new SecretFileException($"{setting}: the secret file '{path}' is empty.");
        return Placeholders.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase)
            ? throw new SecretFileException($"{setting}: the secret file '{path}' holds a placeholder, not a secret; put a real one there (for example: openssl rand -hex 24).")
            : text;
    }

    /// <returns>Why the secret file cannot be used, or null when it can: for settings validated at start.</returns>
    public static string? Problem(string path, string setting)
    {
        try
        {
            Read(path, setting);
            return null;
        }
        catch (SecretFileException exception)
        {
            return exception.Message;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"{setting}: cannot read the secret file '{path}': {exception.Message}";
        }
    }

    /// <summary>Writes a new secret file readable by its owner only (mode 600) from the first byte on.</summary>
    public static void Write(string path, string secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.WriteLine(secret);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);
}

/// <summary>A secret file that cannot be used, with what to do about it.</summary>
public sealed class SecretFileException(string message) : Exception(message);
