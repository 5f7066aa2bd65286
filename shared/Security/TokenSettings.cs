namespace CloudBus.Security;

/// <summary>
/// What a locally minted operator token says about where it comes from and what it is for; the
/// services check both, so a token minted for another system with the same key is refused.
/// </summary>
public static class TokenSettings
{
    public const string DefaultIssuer = "cloudbus";
    public const string DefaultAudience = "cloudbus-control-plane";

    /// <summary>Shorter keys are refused: HMAC-SHA256 wants at least 256 bits.</summary>
    public const int MinimumKeyBytes = 32;
}
