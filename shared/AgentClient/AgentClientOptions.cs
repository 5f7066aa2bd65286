using System.ComponentModel.DataAnnotations;
using CloudBus.Security.Certificates;

namespace CloudBus.AgentClient;

/// <summary>How the control plane's services connect to host agents (section <c>AgentClient</c>).</summary>
public sealed class AgentClientOptions : IValidatableObject
{
    public const string Section = "AgentClient";

    /// <value>
    /// How long one address may take to accept a connection before the next address of the host is
    /// tried. Default 400 ms: a management LAN connects in well under a millisecond, and a ping
    /// (1 s by default) must leave time for a second address after a first that drops packets.
    /// </value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30", ErrorMessage = "AgentClient:ConnectTimeout must be between 50 ms and 30 s.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <value>
    /// The largest answer read from an agent (default 4 MiB: a host's VM list with devices is a
    /// few hundred bytes per VM). A larger one fails the call, as no answer would.
    /// </value>
    [Range(64 * 1024, 256 * 1024 * 1024, ErrorMessage = "AgentClient:MaxAnswerBytes must be between 65536 and 268435456.")]
    public int MaxAnswerBytes { get; set; } = 4 * 1024 * 1024;

    /// <value>The local CA's certificate (<c>cloudbus certs init</c>): an agent is trusted only with a certificate it issued.</value>
    public string? CaFile { get; set; }

    /// <value>This service's certificate (<c>cloudbus certs service NAME</c>), presented to every agent.</value>
    public string? CertificateFile { get; set; }

    /// <value>The key of <see cref="CertificateFile"/> (mode 600).</value>
    public string? KeyFile { get; set; }

    /// <value>
    /// Whether agents may be called over plain <c>http://</c>, unauthenticated both ways. Default
    /// false: every agent address must be <c>https://</c> and answer with its host's certificate.
    /// Only for a simulated fleet on this machine (tests, demos, benchmarks).
    /// </value>
    public bool AllowPlainHttp { get; set; }

    /// <summary>Whether mutual TLS is configured (all three files).</summary>
    public bool UsesTls => CaFile is { Length: > 0 } && CertificateFile is { Length: > 0 } && KeyFile is { Length: > 0 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var given = new[] { CaFile, CertificateFile, KeyFile }.Count(file => !string.IsNullOrEmpty(file));
        if (given is > 0 and < 3)
            yield return new ValidationResult("AgentClient:CaFile, AgentClient:CertificateFile and AgentClient:KeyFile go together: set all three (cloudbus certs service NAME writes them).");
        else if (given == 0 && !AllowPlainHttp)
            yield return new ValidationResult("AgentClient: set CaFile, CertificateFile and KeyFile (mutual TLS with the host agents; cloudbus certs creates them), "
                                              + "or AgentClient:AllowPlainHttp=true for a simulated fleet on this machine only.");
        else if (UsesTls && LoadProblem() is { } problem)
            yield return new ValidationResult("AgentClient: " + problem);
    }

    private string? LoadProblem()
    {
        try
        {
            using var authority = CertificateFiles.LoadPublic(CaFile!);
            using var own = CertificateFiles.LoadWithKey(CertificateFile!, KeyFile!);
            return CertificateNames.Of(own) is { Kind: CertificateKind.Service }
                ? null
                : $"{CertificateFile} is the certificate of {CertificateNames.Describe(own)}, not of a control-plane service (cloudbus certs service NAME).";
        }
        catch (Exception exception) when (exception is CertificateFileException or IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
    }
}
