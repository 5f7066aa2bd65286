using CloudBus.Security;

namespace CloudBus.ServiceDefaults.Security;

/// <summary>
/// Where operator tokens come from (section <c>Auth</c>): either the local signing key
/// (<see cref="SigningKeyFile"/>, what `cloudbus token` mints with) or an identity provider
/// (<see cref="Authority"/>, whose published keys sign its tokens). One of them must be set: a
/// service never starts open to anyone.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>A file (mode 600) holding the local HMAC signing key; `cloudbus token new-key` writes one.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>An OpenID Connect issuer whose keys sign the tokens, instead of the local key.</summary>
    public string? Authority { get; set; }

    public string Issuer { get; set; } = TokenSettings.DefaultIssuer;
    public string Audience { get; set; } = TokenSettings.DefaultAudience;

    /// <summary>Fetch an <see cref="Authority"/>'s keys over HTTPS only (turn off only on a test bench).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
