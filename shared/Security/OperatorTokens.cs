using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloudBus.Security;

/// <summary>
/// Mints operator tokens signed with the local signing key (HMAC-SHA256): what `cloudbus token`
/// and the tests use. A site with its own identity provider uses that provider's tokens instead.
/// </summary>
public static class OperatorTokens
{
    /// <summary>A new random signing key, as the text a key file holds.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>The key the services and the minting side derive from a key file's text.</summary>
    public static SymmetricSecurityKey SigningKey(string keyText)
    {
        var bytes = Encoding.UTF8.GetBytes(keyText);
        return bytes.Length < TokenSettings.MinimumKeyBytes
            ? throw new ArgumentException($"The signing key has {bytes.Length} bytes; at least {TokenSettings.MinimumKeyBytes} are needed (`cloudbus token new-key` makes one).", nameof(keyText))
            : new SymmetricSecurityKey(bytes);
    }

    /// <summary>A token for <paramref name="subject"/> in <paramref name="role"/>, valid from <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    public static string Mint(string keyText, string subject, string role, TimeSpan lifetime, DateTimeOffset now,
        string issuer = TokenSettings.DefaultIssuer, string audience = TokenSettings.DefaultAudience)
    {
        if (!OperatorRoles.IsDefined(role)) throw new ArgumentException($"'{role}' is not a role: use one of {string.Join(", ", OperatorRoles.All)}.", nameof(role));
        if (string.IsNullOrWhiteSpace(subject)) throw new ArgumentException("A token names who it is for (the subject).", nameof(subject));
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "A token's lifetime must be positive.");
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [OperatorRoles.ClaimType] = role,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(SigningKey(keyText), SecurityAlgorithms.HmacSha256),
        });
    }
}
