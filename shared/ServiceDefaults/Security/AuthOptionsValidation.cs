using CloudBus.Security;
using Microsoft.Extensions.Options;

namespace CloudBus.ServiceDefaults.Security;

/// <summary>Refuses to start without a usable source of operator tokens, and says which setting to fix.</summary>
public sealed class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var hasKey = !string.IsNullOrWhiteSpace(options.SigningKeyFile);
        var hasAuthority = !string.IsNullOrWhiteSpace(options.Authority);
        if (hasKey == hasAuthority)
            return ValidateOptionsResult.Fail(hasKey
                ? "Set only one of Auth:SigningKeyFile and Auth:Authority: with both it is unclear which keys sign operator tokens."
                : "Operator tokens need a signing key: set Auth:SigningKeyFile (a file, mode 600; `cloudbus token new-key --out FILE` writes one) or Auth:Authority (an OpenID Connect issuer).");
        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
            return ValidateOptionsResult.Fail("Auth:Issuer and Auth:Audience must not be empty.");
        if (hasAuthority) return ValidateOptionsResult.Success;
        try
        {
            OperatorTokens.SigningKey(SecretFile.Read(options.SigningKeyFile!, "Auth:SigningKeyFile"));
            return ValidateOptionsResult.Success;
        }
        catch (Exception exception) when (exception is SecretFileException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }
    }
}
