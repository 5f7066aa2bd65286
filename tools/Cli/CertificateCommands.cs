using System.CommandLine;
using System.Globalization;
using CloudBus.Messages.Hosts;
using CloudBus.Security;
using CloudBus.Security.Certificates;

namespace CloudBus.Cli;

/// <summary>
/// <c>cloudbus certs init</c> creates the installation's local CA; <c>cloudbus certs host ID</c> and
/// <c>cloudbus certs service NAME</c> issue the certificates agents serve with and the control-plane
/// services call agents with (mutual TLS). Everything lands in one folder; existing files are
/// never overwritten, so a CA cannot be replaced by accident.
/// </summary>
internal static class CertificateCommands
{
    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(730);

    public static Command Create()
    {
        var certs = new Command("certs", "The local CA and the certificates for mutual TLS between the control plane and the host agents.");
        certs.Subcommands.Add(Init());
        certs.Subcommands.Add(Issue(CertificateKind.Host));
        certs.Subcommands.Add(Issue(CertificateKind.Service));
        return certs;
    }

    private static Option<DirectoryInfo> DirectoryOption() =>
        new("--dir") { Description = "The installation's certificate folder (ca.crt, ca.key and what was issued).", Required = true };

    private static Command Init()
    {
        var directory = DirectoryOption();
        var name = new Option<string>("--name") { Description = "The CA's name.", DefaultValueFactory = _ => "CloudBus local CA" };
        var command = new Command("init", "Creates the local CA (ca.crt for everyone, ca.key kept in the folder, mode 600).") { directory, name };
        command.SetAction(result => Run(() =>
        {
            var folder = Folder(result.GetValue(directory)!);
            using var authority = CertificateAuthority.Create(result.GetValue(name)!, DateTimeOffset.UtcNow, AuthorityLifetime);
            CertificateFiles.Write(authority.Certificate, folder.AuthorityCertificate, folder.AuthorityKey);
            Console.Error.WriteLine($"CA created: {folder.AuthorityCertificate} (give it to every agent and service), key {folder.AuthorityKey} (keep it here)");
        }));
        return command;
    }

    private static Command Issue(CertificateKind kind)
    {
        var directory = DirectoryOption();
        var what = kind == CertificateKind.Host ? "host" : "service";
        var name = new Argument<string>(kind == CertificateKind.Host ? "host-id" : "service")
        {
            Description = kind == CertificateKind.Host ? "The id the host is registered with (POST /hosts)." : "The service's name, for example HostMonitor.",
        };
        var addresses = new Option<string[]>("--address")
        {
            Description = "A DNS name or IP address the agent is reached at (repeatable); the host id is always included.",
            AllowMultipleArgumentsPerToken = true,
        };
        var validFor = new Option<int>("--valid-days") { Description = "How many days the certificate is valid.", DefaultValueFactory = _ => (int)DefaultLifetime.TotalDays };
        var command = new Command(what, kind == CertificateKind.Host
            ? "Issues the certificate a host's agent serves with (HostAgent__Tls__*)."
            : "Issues the certificate a control-plane service calls agents with (AgentClient__*).") { directory, name, validFor };
        if (kind == CertificateKind.Host) command.Options.Add(addresses);
        command.SetAction(result => Run(() =>
        {
            var id = result.GetValue(name)!;
            if (!HostIds.IsValid(id)) throw new ArgumentException(HostIds.Rule($"The {what} name '{id}'"));
            var days = result.GetValue(validFor);
            if (days is < 1 or > 3650) throw new ArgumentException("--valid-days must be between 1 and 3650.");
            var folder = Folder(result.GetValue(directory)!);
            using var authority = CertificateAuthority.Load(folder.AuthorityCertificate, folder.AuthorityKey);
            var now = DateTimeOffset.UtcNow;
            using var issued = kind == CertificateKind.Host
                ? authority.IssueHost(id, result.GetValue(addresses) ?? [], now, TimeSpan.FromDays(days))
                : authority.IssueService(id, now, TimeSpan.FromDays(days));
            var (certificate, key) = folder.Of(kind, id);
            CertificateFiles.Write(issued, certificate, key);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} certificate for {id} written: {certificate}, key {key} (mode 600), valid until {issued.NotAfter:yyyy-MM-dd}"));
        }));
        return command;
    }

    private static CertificateDirectory Folder(DirectoryInfo directory)
    {
        directory.Create();
        return new CertificateDirectory(directory.FullName);
    }

    private static int Run(Action action)
    {
        try
        {
            action();
            return ExitCodes.Ok;
        }
        catch (Exception exception) when (exception is CertificateFileException or SecretFileException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cloudbus: {exception.Message}"));
            return ExitCodes.Failed;
        }
    }
}
