using System.CommandLine;
using System.Globalization;
using CloudBus.Security;

namespace CloudBus.Cli;

/// <summary>
/// <c>cloudbus token new-key</c> writes a local signing key; <c>cloudbus token mint</c> issues an
/// operator token signed with it (printed on stdout, nothing else, so scripts can capture it).
/// </summary>
internal static class TokenCommands
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    public static Command Create()
    {
        var token = new Command("token", "Operator tokens: a local signing key, and tokens signed with it.");
        token.Subcommands.Add(NewKey());
        token.Subcommands.Add(Mint());
        return token;
    }

    private static Command NewKey()
    {
        var output = new Option<FileInfo>("--out") { Description = "Where to write the key (mode 600; an existing file is never overwritten).", Required = true };
        var command = new Command("new-key", "Writes a new random signing key for Auth:SigningKeyFile.") { output };
        command.SetAction(result =>
        {
            var path = result.GetValue(output)!.FullName;
            try
            {
                SecretFile.Write(path, OperatorTokens.NewKey());
            }
            catch (IOException exception)
            {
                return Fail($"cannot write {path}: {exception.Message}");
            }
            Console.Error.WriteLine($"signing key written to {path} (mode 600); give it to every service as Auth__SigningKeyFile");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Mint()
    {
        var keyFile = new Option<FileInfo>("--key-file") { Description = "The signing key the services use (Auth:SigningKeyFile).", Required = true };
        var role = new Option<string>("--role") { Description = "viewer (read), operator (VM operations, maintenance) or admin (hosts, BMCs, approving fencing).", Required = true };
        role.AcceptOnlyFromAmong([.. OperatorRoles.All]);
        var subject = new Option<string>("--subject") { Description = "Who the token is for: it is what the audit log records.", Required = true };
        var validFor = new Option<TimeSpan>("--valid-for") { Description = "How long the token is valid (hh:mm:ss).", DefaultValueFactory = _ => DefaultLifetime };
        var issuer = new Option<string>("--issuer") { DefaultValueFactory = _ => TokenSettings.DefaultIssuer, Description = "Auth:Issuer of the services." };
        var audience = new Option<string>("--audience") { DefaultValueFactory = _ => TokenSettings.DefaultAudience, Description = "Auth:Audience of the services." };
        var command = new Command("mint", "Prints an operator token signed with the local key.") { keyFile, role, subject, validFor, issuer, audience };
        command.SetAction(result =>
        {
            try
            {
                var key = SecretFile.Read(result.GetValue(keyFile)!.FullName, "--key-file");
                Console.Out.WriteLine(OperatorTokens.Mint(key, result.GetValue(subject)!, result.GetValue(role)!, result.GetValue(validFor),
                    DateTimeOffset.UtcNow, result.GetValue(issuer)!, result.GetValue(audience)!));
                return ExitCodes.Ok;
            }
            catch (Exception exception) when (exception is SecretFileException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                return Fail(exception.Message);
            }
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cloudbus: {message}"));
        return ExitCodes.Failed;
    }
}
