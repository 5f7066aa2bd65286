namespace CloudBus.Cli.Stack;

/// <summary>
/// Where the control plane's services answer, and the token to call them with. Found, in this
/// order: <c>--url NAME=URL</c> options; <c>CLOUDBUS_URLS</c> (<c>NAME=URL,NAME=URL</c>); the local
/// stack's <c>.run/ports.env</c> (written by ./up.sh), looked for in <c>--stack DIR</c> or in the
/// current folder and its parents. The token: <c>CLOUDBUS_TOKEN</c>, else the file
/// <c>--token-file</c> or <c>CLOUDBUS_TOKEN_FILE</c> names, else the local stack's
/// <c>.run/admin.token</c>. A service may have several addresses (its instances): any of them
/// answers for the whole service, and the client tries the next when one does not answer.
/// </summary>
/// <param name="LocalStack">The checkout whose ./up.sh runs the stack, when the stack was found through its <c>.run/</c>.</param>
internal sealed record StackConnection(IReadOnlyDictionary<string, IReadOnlyList<Uri>> Services, string? Token, string FoundIn, string? LocalStack)
{
    /// <summary>The simulated fleet's back door (./up.sh's simulated hosts): power and faults for <c>cloudbus sim</c>.</summary>
    public const string BackDoor = "back-door";

    /// <summary>What the commands call, by the names the options use: the control-plane services and the simulation's back door.</summary>
    public static readonly IReadOnlyList<string> ServiceNames = ["vm-lifecycle", "host-monitor", "node-registry", "ha-orchestrator", BackDoor];

    /// <summary>The addresses of <paramref name="service"/>'s instances, or a failure that says how to give one.</summary>
    public IReadOnlyList<Uri> Of(string service) => Services.TryGetValue(service, out var addresses)
        ? addresses
        : throw new CliException(ExitCodes.NoStack,
            $"no address for {service} ({FoundIn}): give it with --url {service}=http://HOST:PORT, in CLOUDBUS_URLS, " +
            "or start the local stack (./up.sh) so that .run/ports.env names it");

    public static StackConnection Resolve(IReadOnlyList<string> urlOptions, DirectoryInfo? stackDirectory, FileInfo? tokenFile)
    {
        var services = new Dictionary<string, IReadOnlyList<Uri>>(StringComparer.Ordinal);
        var sources = new List<string>();
        // Each source names a service's instances; a later source replaces what an earlier one named for that service.
        void Take(IEnumerable<(string Name, Uri Address)> named, string source)
        {
            var found = named.GroupBy(n => n.Name, n => n.Address).ToList();
            foreach (var service in found) services[service.Key] = [.. service];
            if (found.Count > 0) sources.Add(source);
        }

        var runFolder = FindRunFolder(stackDirectory);
        var hasPorts = runFolder is not null && File.Exists(Path.Combine(runFolder, "ports.env"));
        if (hasPorts) Take(PortsFile.Read(Path.Combine(runFolder!, "ports.env")), Path.Combine(runFolder!, "ports.env"));
        if (Environment.GetEnvironmentVariable("CLOUDBUS_URLS") is { Length: > 0 } fromEnvironment)
            Take(ParseUrls(fromEnvironment.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), "CLOUDBUS_URLS").ToList(), "CLOUDBUS_URLS");
        Take(ParseUrls(urlOptions, "--url").ToList(), "--url");

        return new StackConnection(services, ReadToken(tokenFile, runFolder),
            sources.Count == 0 ? "no .run/ports.env here or above, no CLOUDBUS_URLS, no --url" : string.Join(", ", sources),
            hasPorts ? Path.GetDirectoryName(runFolder) : null);
    }

    private static IEnumerable<(string Name, Uri Address)> ParseUrls(IEnumerable<string> values, string source)
    {
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            var name = separator > 0 ? value[..separator] : "";
            if (!ServiceNames.Contains(name) || !Uri.TryCreate(value[(separator + 1)..], UriKind.Absolute, out var address)
                || address.Scheme is not ("http" or "https"))
                throw new CliException(ExitCodes.Failed,
                    $"{source} '{value}' is not NAME=URL with NAME one of {string.Join(", ", ServiceNames)} and an http(s) URL");
            yield return (name, WithSlash(address));
        }
    }

    private static string? ReadToken(FileInfo? tokenFile, string? runFolder)
    {
        if (Environment.GetEnvironmentVariable("CLOUDBUS_TOKEN") is { Length: > 0 } token) return token.Trim();
        var named = tokenFile?.FullName ?? NullIfEmpty(Environment.GetEnvironmentVariable("CLOUDBUS_TOKEN_FILE"));
        // A file named on purpose must be readable; the local stack's may simply not exist (yet).
        var path = named ?? (runFolder is null ? null : Path.Combine(runFolder, "admin.token"));
        if (path is null || (named is null && !File.Exists(path))) return null;
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException exception)
        {
            throw new CliException(ExitCodes.Failed, $"cannot read the token file {path}: {exception.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Failed, $"cannot read the token file {path}: permission denied");
        }
    }

    /// <summary>The <c>.run</c> folder of <paramref name="stackDirectory"/>, or of the nearest folder at or above the current one that has one.</summary>
    private static string? FindRunFolder(DirectoryInfo? stackDirectory)
    {
        if (stackDirectory is not null) return Path.Combine(stackDirectory.FullName, ".run");
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, ".run", "ports.env"))) return Path.Combine(folder.FullName, ".run");
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    internal static Uri WithSlash(Uri address) => address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
