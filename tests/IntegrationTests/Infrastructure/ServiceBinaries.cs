namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Where each service's built program is. The tests run the same build configuration as the
/// services (./test.sh builds the whole solution first), found beside this test assembly.
/// </summary>
public static class ServiceBinaries
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built in.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name is { } configuration && configuration != "bin" ? configuration : "Debug";

    /// <param name="project">The folder under services/, for example "VmLifecycle".</param>
    public static string DllOf(string project)
    {
        var path = Path.Combine(RepositoryRoot, "services", project, "bin", Configuration, "net10.0", $"CloudBus.{project}.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution first (dotnet build CloudBus.sln -c {Configuration}).");
    }

    /// <param name="project">The folder under tools/, for example "WatchdogEmulator".</param>
    /// <param name="assembly">The program's assembly name, when it is not CloudBus.<paramref name="project"/> (the CLI is "cloudbus").</param>
    public static string ToolDllOf(string project, string? assembly = null)
    {
        var path = Path.Combine(RepositoryRoot, "tools", project, "bin", Configuration, "net10.0", $"{assembly ?? "CloudBus." + project}.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution first (dotnet build CloudBus.sln -c {Configuration}).");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CloudBus.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("CloudBus.sln not found above " + AppContext.BaseDirectory);
    }
}
