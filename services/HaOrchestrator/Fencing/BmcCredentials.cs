using System.Text.Json;
using CloudBus.Security;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>The user and password fencing logs in to one host's BMC with. Never logged.</summary>
public sealed record BmcLogin(string Username, string Password);

/// <summary>
/// Finds the login for a host's BMC: the host's own entry in <c>Fencing:BmcCredentialsFile</c>
/// when it has one (a JSON object keyed by host id, each <c>{"username": "…", "password": "…"}</c>),
/// else the shared <c>Fencing:BmcUsername</c> with the shared password. Per-host logins mean one
/// leaked BMC password opens one BMC, not the whole fleet. Files are read on every call, so a
/// rotated password is used without a restart, and refused when others may read them.
/// </summary>
public static class BmcCredentials
{
    public const int MaxUsernameLength = 16; // IPMI user names are at most 16 bytes.

    private const string FileSetting = "Fencing:BmcCredentialsFile";
    private static readonly JsonSerializerOptions Reading = new(JsonSerializerDefaults.Web);

    /// <returns>The login, or why there is none (naming the setting to fix, never the secret).</returns>
    public static (BmcLogin? Login, string? Problem) For(string hostId, FencingOptions settings)
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(settings.BmcCredentialsFile) && PerHost(settings.BmcCredentialsFile).TryGetValue(hostId, out var own))
                return (own, null);
            return (new BmcLogin(settings.BmcUsername, SharedPassword(hostId, settings)), null);
        }
        catch (SecretFileException exception)
        {
            return (null, exception.Message);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, $"Cannot read the BMC credentials of host {hostId}: {exception.Message}");
        }
    }

    private static string SharedPassword(string hostId, FencingOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.BmcPasswordFile)) return SecretFile.Read(settings.BmcPasswordFile, "Fencing:BmcPasswordFile");
        throw new SecretFileException(string.IsNullOrWhiteSpace(settings.BmcCredentialsFile)
            ? "No BMC password configured: set Fencing:BmcPasswordFile or Fencing:BmcCredentialsFile."
            : $"Host {hostId} has no entry in {settings.BmcCredentialsFile} ({FileSetting}) and no shared Fencing:BmcPasswordFile is set.");
    }

    private static Dictionary<string, BmcLogin> PerHost(string path)
    {
        var text = SecretFile.Read(path, FileSetting);
        Dictionary<string, Entry?>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<Dictionary<string, Entry?>>(text, Reading);
        }
        catch (JsonException exception)
        {
            // The parser's position only: its message never quotes the file's text.
            throw new SecretFileException($"{FileSetting}: '{path}' is not a JSON object of host id -> {{\"username\", \"password\"}} (line {exception.LineNumber + 1}).");
        }

        var logins = new Dictionary<string, BmcLogin>(StringComparer.Ordinal);
        foreach (var (host, entry) in entries ?? [])
        {
            if (entry is not { Username.Length: > 0 and <= MaxUsernameLength, Password.Length: > 0 })
                throw new SecretFileException($"{FileSetting}: the entry of host '{host}' in '{path}' needs a username of 1-{MaxUsernameLength} characters and a password.");
            logins[host] = new BmcLogin(entry.Username, entry.Password);
        }
        return logins;
    }

    private sealed record Entry(string? Username, string? Password);
}
